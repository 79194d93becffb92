"""The report types of DESIGN.md that every database has: their routes (which department drafts
each, which receives it) and their forms. Administrators may change both in Wagtail admin;
`documents.circulation.services.report_types_ensure` creates the missing ones only."""

from documents.circulation.report_fields import DEFAULT_MAX_ROWS

# code, Chinese name, English name, source department code, destination department codes.
# The routes of the plan (source document 000, "exchange the following information online");
# "the factory director" is the Factory Director's Office. Items 13 and 14 of the plan name no
# route: purchased-material feedback goes from the workshops' department to purchasing, "other"
# from the Director's Office to planning.
DEFAULT_REPORT_TYPES = [
    # 1. sales plan, source: sales; to the Comprehensive Planning Section
    ("sales-plan", "销售计划", "Sales plan", "sales", ("planning",)),
    # 2. material demand plan, source: production; to the Comprehensive Planning Section
    ("material-demand-plan", "材料需求计划", "Material demand plan", "production", ("planning",)),
    # 3. procurement plan, source: Comprehensive Planning Section; destination: purchasing
    ("procurement-plan", "采购计划", "Procurement plan", "planning", ("purchasing",)),
    # 4. implementation of the monthly plan, source: planning; to the factory director
    (
        "monthly-plan-implementation",
        "月度计划执行情况",
        "Monthly plan implementation",
        "planning",
        ("director-office",),
    ),
    # 5. price declaration and audit notice, audited by the Comprehensive Planning Section
    (
        "price-declaration",
        "价格申报及审核通知",
        "Price declaration and audit notice",
        "purchasing",
        ("planning",),
    ),
    # 6. quality inspection report, source: quality; destinations: storage, audit
    (
        "quality-inspection-report",
        "质量检验报告",
        "Quality inspection report",
        "quality",
        ("storage", "audit"),
    ),
    # 7. monthly maximum price of main raw materials, source: purchasing; to the factory director
    (
        "raw-material-price-ceiling",
        "主要原材料月度最高限价",
        "Monthly maximum price of main raw materials",
        "purchasing",
        ("director-office",),
    ),
    # 8. price control, source: audit; destination: the factory director
    ("price-control", "价格控制", "Price control", "audit", ("director-office",)),
    # 9. procurement evaluation basis, source: finance; destination: audit
    (
        "procurement-basis-finance-audit",
        "采购评价依据（财务→审计）",
        "Procurement evaluation basis (Finance → Audit)",
        "finance",
        ("audit",),
    ),
    # 10. procurement evaluation basis, source: audit; destination: Enterprise Management Office
    (
        "procurement-basis-audit-management",
        "采购评价依据（审计→企管办）",
        "Procurement evaluation basis (Audit → Enterprise Management Office)",
        "audit",
        ("enterprise-management",),
    ),
    # 11. assessment results for approval, source: Enterprise Management Office; to the director
    (
        "assessment-results",
        "考核结果报批",
        "Assessment results for approval",
        "enterprise-management",
        ("director-office",),
    ),
    # 12. reply to the assessment results, source: the factory director; to the EMO
    (
        "assessment-reply",
        "考核结果批复",
        "Reply to assessment results",
        "director-office",
        ("enterprise-management",),
    ),
    # 13. feedback of purchased materials (no route given)
    (
        "purchased-material-feedback",
        "外购材料使用情况反馈",
        "Purchased-material feedback",
        "production",
        ("purchasing",),
    ),
    # 14. other (no route given)
    ("other", "其他", "Other", "director-office", ("planning",)),
]

# Every department on some route (sources and destinations), by code.
ROUTE_DEPARTMENTS = sorted(
    {row[3] for row in DEFAULT_REPORT_TYPES}
    | {code for row in DEFAULT_REPORT_TYPES for code in row[4]}
)


def _f(name, label, label_en, kind="text", required=False):
    return {"name": name, "label": label, "label_en": label_en, "kind": kind, "required": required}


def _table(name, label, label_en, columns, required=True, max_rows=DEFAULT_MAX_ROWS):
    return {
        **_f(name, label, label_en, "table", required),
        "columns": [
            {"name": n, "label": zh, "label_en": en, "kind": k} for n, zh, en, k in columns
        ],
        "max_rows": max_rows,
    }


def _choice(name, label, label_en, choices, required=True):
    return {
        **_f(name, label, label_en, "choice", required),
        "choices": [{"value": v, "label": zh, "label_en": en} for v, zh, en in choices],
    }


_MATERIAL = ("material", "物料名称", "Material", "text")
_SPEC = ("specification", "规格型号", "Specification", "text")
_UNIT = ("unit", "单位", "Unit", "text")
_QUANTITY = ("quantity", "数量", "Quantity", "number")
_NOTE = ("note", "备注", "Note", "text")
_SUPPLIER = ("supplier", "供应商", "Supplier", "text")

# The forms of the seeded types, by type code; "other" keeps the generic form.
DEFAULT_SCHEMAS: dict[str, list] = {
    "sales-plan": [
        _table(
            "lines",
            "计划明细",
            "Plan lines",
            [
                ("brand", "品牌规格", "Brand and specification", "text"),
                ("cases", "计划销量（箱）", "Planned sales (cases)", "number"),
                ("amount", "计划金额（元）", "Planned amount (yuan)", "number"),
                _NOTE,
            ],
        ),
        _f("total_cases", "合计销量（箱）", "Total (cases)", "number", True),
        _f("remarks", "说明", "Remarks", "textarea"),
    ],
    "material-demand-plan": [
        _table(
            "lines",
            "需求明细",
            "Demand lines",
            [_MATERIAL, _SPEC, _UNIT, _QUANTITY, ("needed_by", "需用日期", "Needed by", "date")],
        ),
        _f("remarks", "说明", "Remarks", "textarea"),
    ],
    "procurement-plan": [
        _table(
            "lines",
            "采购明细",
            "Procurement lines",
            [
                _MATERIAL,
                _SPEC,
                _QUANTITY,
                ("unit_price", "预计单价（元）", "Expected unit price (yuan)", "number"),
                _SUPPLIER,
            ],
        ),
        _f("budget", "预算金额（元）", "Budget (yuan)", "number", True),
    ],
    "monthly-plan-implementation": [
        _f("planned", "计划产量（箱）", "Planned output (cases)", "number", True),
        _f("actual", "实际产量（箱）", "Actual output (cases)", "number", True),
        _f("completion", "完成情况说明", "How the plan was carried out", "textarea", True),
        _f("problems", "存在问题及措施", "Problems and measures", "textarea"),
    ],
    "price-declaration": [
        _table(
            "lines",
            "申报明细",
            "Declared prices",
            [
                _MATERIAL,
                _SPEC,
                _SUPPLIER,
                ("declared_price", "申报价格（元）", "Declared price (yuan)", "number"),
            ],
        ),
        _f("valid_from", "执行日期", "Valid from", "date", True),
    ],
    "quality-inspection-report": [
        _f("batch", "批次号", "Batch", "text", True),
        _f("inspected_on", "检验日期", "Inspection date", "date", True),
        _choice(
            "conclusion",
            "检验结论",
            "Conclusion",
            [
                ("pass", "合格", "Pass"),
                ("conditional", "让步接收", "Conditional"),
                ("fail", "不合格", "Fail"),
            ],
        ),
        _f("pass_rate", "合格率（%）", "Pass rate (%)", "number", True),
        _table(
            "items",
            "检验项目",
            "Inspection items",
            [
                ("item", "项目", "Item", "text"),
                ("standard", "标准要求", "Standard", "text"),
                ("result", "检验结果", "Result", "text"),
            ],
            required=False,
        ),
    ],
    "raw-material-price-ceiling": [
        _f("month", "执行月份", "Month", "text", True),
        _table(
            "lines",
            "最高限价",
            "Maximum prices",
            [
                _MATERIAL,
                _SPEC,
                _UNIT,
                ("max_price", "最高限价（元）", "Maximum price (yuan)", "number"),
            ],
        ),
    ],
    "price-control": [
        _f("scope", "控制范围", "Scope", "text", True),
        _f("measures", "控制措施", "Measures", "textarea", True),
        _f("valid_from", "执行日期", "Valid from", "date"),
    ],
    "procurement-basis-finance-audit": [
        _table(
            "lines",
            "评价依据",
            "Evaluation basis",
            [_MATERIAL, _SUPPLIER, ("price", "价格（元）", "Price (yuan)", "number"), _NOTE],
        ),
    ],
    "procurement-basis-audit-management": [
        _table(
            "lines",
            "评价依据",
            "Evaluation basis",
            [
                _MATERIAL,
                _SUPPLIER,
                ("price", "审计价格（元）", "Audited price (yuan)", "number"),
                _NOTE,
            ],
        ),
        _f("opinion", "审计意见", "Audit opinion", "textarea", True),
    ],
    "assessment-results": [
        _table(
            "lines",
            "考核结果",
            "Assessment results",
            [
                ("department", "被考核部门", "Department assessed", "text"),
                ("score", "得分", "Score", "number"),
                ("result", "考核意见", "Result", "text"),
            ],
        ),
    ],
    "assessment-reply": [
        _choice(
            "decision",
            "批复意见",
            "Decision",
            [
                ("approved", "同意", "Approved"),
                ("amended", "修改后同意", "Approved with changes"),
                ("rejected", "不同意", "Rejected"),
            ],
        ),
        _f("reply", "批复说明", "Reply", "textarea"),
    ],
    "purchased-material-feedback": [
        _table(
            "lines",
            "使用情况",
            "Use of materials",
            [
                _MATERIAL,
                _SUPPLIER,
                ("batch", "批次", "Batch", "text"),
                ("issue", "问题描述", "Issue", "text"),
            ],
        ),
        _choice(
            "overall",
            "总体评价",
            "Overall rating",
            [
                ("good", "良好", "Good"),
                ("acceptable", "一般", "Acceptable"),
                ("poor", "较差", "Poor"),
            ],
        ),
    ],
}
