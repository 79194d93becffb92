"""The Chinese catalogues say one word per concept.

Django merges every app's catalogue into one table, so a msgid translated for one place becomes
the translation everywhere: these tests read every `*/locale/zh_Hans/LC_MESSAGES/django.po` of
the project (polib) and fail on a msgid translated two ways, on a short context-less msgid used
in more than one place, on anything untranslated or fuzzy, and on a glossary term not in the
words of GLOSSARY.md.
"""

import os
from collections import defaultdict
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def entries():
    for path in CATALOGUES:
        app = path.parts[len(ROOT.parts)]
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield app, entry


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


def translation(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


def place(path):
    """Where a string is used: the folder of the file (a template folder, a package)."""
    return os.path.dirname(path)


def test_the_project_has_its_catalogues():
    apps = {path.parts[len(ROOT.parts)] for path in CATALOGUES}
    assert {"portal", "bulletins", "forum", "knowledge", "documents", "extranet"} <= apps


def test_a_msgid_has_one_translation_across_the_catalogues():
    seen = defaultdict(dict)
    for app, entry in entries():
        seen[key(entry)][app] = translation(entry)
    different = {k: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert different == {}


def test_a_short_msgid_used_in_more_than_one_place_has_a_context():
    apps = defaultdict(set)
    places = defaultdict(set)
    for app, entry in entries():
        if entry.msgctxt is None and len(entry.msgid.split()) <= 2:
            apps[entry.msgid].add(app)
            places[entry.msgid] |= {place(path) for path, _line in entry.occurrences}
    shared = {
        msgid: sorted(places[msgid])
        for msgid in apps
        if len(apps[msgid]) > 1 or len(places[msgid]) > 1
    }
    assert shared == {}


def test_every_entry_is_translated_and_none_is_fuzzy():
    missing = [
        (app, entry.msgctxt, entry.msgid)
        for app, entry in entries()
        if not entry.translated() or "fuzzy" in entry.flags
    ]
    assert missing == []


# The GLOSSARY.md concepts whose Chinese is checked: a msgid that is the term (any context,
# any case) must be translated with the glossary's word.
GLOSSARY = {
    "employee": "员工",
    "employees": "员工",
    "department head": "部门负责人",
    "identity auditor": "身份审计员",
    "pseudonym": "化名",
    "account manager": "客户经理",
    "sales administrator": "销售管理员",
    "retailer": "零售客户",
    "retailers": "零售客户",
    "licence number": "许可证号",
    "order number": "订单号",
    "order day": "订货日",
    "delivery day": "送货日",
    "grade": "档位",
    "credit limit": "信用额度",
    "picking list": "分拣单",
    "picking lists": "分拣单",
    "delivery route": "送货线路",
    "delivery routes": "送货线路",
    "call-back due": "回访截止",
    "response rate": "回收率",
    "rating": "评分",
    "market report": "市场信息",
    "market reports": "市场信息",
    "effective complaint": "有效投诉",
    "policy document": "制度文件",
    "policy documents": "制度文件",
    "source department": "报送部门",
    "destination departments": "接收部门",
    "acknowledge": "确认已阅",
}

# Words the glossary forbids for a concept, in every translation of the project, except where
# the context names the one place the word is right.
FORBIDDEN = {
    "昵称": set(),  # pseudonym is 化名
    "笔名": set(),
    "来源": set(),  # date filters read 起始日期 / 截止日期, a report's source 报送部门
    "报送至": set(),
    "审核员": set(),  # the identity auditor is 身份审计员
}

# msgid (context) → the one right Chinese, for the words that read wrong before.
PLACES = {
    ("date filter", "From"): "起始日期",
    ("date filter", "To"): "截止日期",
    ("report", "From"): "报送部门",
    ("report", "Report"): "报告",
    ("forum", "Report"): "举报",
    ("order", "Order"): "订单号",
    ("sort", "Order"): "排序",
    ("feedback", "Number"): "编号",
    ("market report", "Number"): "编号",
    ("survey", "Rate"): "回收率",
    ("business status", "Open"): "正常营业",
    ("survey status", "Open"): "进行中",
    ("policy document", "Open"): "打开",
    ("account", "Active"): "启用",
    ("employee", "Active"): "在职",
    ("market report", "Reject"): "驳回",
    ("market report", "Rejected"): "已驳回",
    ("helpful vote", "No"): "没帮助",
}


def test_glossary_terms_have_the_glossary_words():
    wrong = [
        (app, entry.msgctxt, entry.msgid, entry.msgstr)
        for app, entry in entries()
        if entry.msgid.lower() in GLOSSARY and entry.msgstr != GLOSSARY[entry.msgid.lower()]
    ]
    assert wrong == []


def test_no_translation_uses_a_word_the_glossary_forbids():
    wrong = [
        (app, entry.msgctxt, entry.msgid, word)
        for app, entry in entries()
        for word, allowed in FORBIDDEN.items()
        if word in entry.msgstr and entry.msgctxt not in allowed
    ]
    assert wrong == []


@pytest.mark.parametrize(("context", "msgid"), sorted(PLACES))
def test_an_ambiguous_word_reads_right_in_its_place(context, msgid):
    found = {
        entry.msgstr
        for _app, entry in entries()
        if (entry.msgctxt, entry.msgid) == (context, msgid)
    }
    assert found == {PLACES[(context, msgid)]}


def test_a_bare_yes_or_no_is_yes_or_no():
    found = {
        (entry.msgid, entry.msgstr)
        for _app, entry in entries()
        if entry.msgctxt is None and entry.msgid in {"Yes", "No"}
    }
    assert found <= {("Yes", "是"), ("No", "否")}
