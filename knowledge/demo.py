"""Demo knowledge: a few dozen published articles across the knowledge types, in Chinese,
internal ones for employees and a handful for retailers. Idempotent (by slug); each
article is published through a revision, as an editor's approval would."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from knowledge.models import ArticlePage, ExternalKnowledgeIndexPage, KnowledgeIndexPage
from knowledge.models import KnowledgeType as Type
from portal.models import Department, Employee

# slug, type, department, title, summary, paragraphs, steps, warning, tags
INTERNAL = [
    ("leaf-moisture-oven", "raw-material-quality", "quality-lab", "烟叶含水率的烘箱法测定",
     "用烘箱法测定片烟和烟丝的含水率，判断是否符合入库与加工要求。",
     ["烟叶含水率是原料验收的关键指标，片烟入库含水率一般控制在11.5%至13.0%之间。",
      "含水率过高易引起霉变，过低则造碎增加，影响出丝率。"],
     ["按批次随机抽取不少于5个样品", "将样品放入100℃烘箱烘干2小时", "称量烘干前后重量并计算含水率"],
     "烘箱高温，取放样品时必须佩戴隔热手套。", ["烟叶含水率", "原料验收"]),
    ("mould-identification", "raw-material-quality", "quality", "霉变烟叶的识别与处置",
     "从气味、颜色和菌丝判断烟叶是否霉变，以及发现后如何隔离处置。",
     ["霉变烟叶有霉味，叶面可见白色或绿色菌丝，叶片发软发粘。",
      "发现霉变应立即隔离整垛，并通知质检科取样复检。"],
     ["闻气味并目测叶面", "抽检垛心温度", "隔离并挂待检标识"], "霉变烟叶严禁投入生产。", ["霉变"]),
    ("leaf-grade-check", "raw-material-quality", "purchasing", "烤烟等级的现场核验",
     "采购到货时对照等级标准样品核验烤烟等级。",
     ["到货烟叶须与等级标准样品对照，重点看部位、颜色、成熟度和油分。"],
     ["取标准样品", "逐包抽样比对", "记录不符等级的比例"], "", ["烟叶等级", "采购"]),
    ("stem-quality", "raw-material-quality", "production-primary", "梗丝质量的判定",
     "梗丝的长度、厚度和膨胀效果决定其在配方中的掺配效果。",
     ["梗丝过长会影响卷制质量，过碎则填充值下降。"], [], "", ["梗丝"]),
    ("foreign-matter", "raw-material-quality", "quality", "烟叶中非烟物质的剔除",
     "制丝前如何发现并剔除烟叶中的非烟物质。",
     ["麻绳、塑料、石子等非烟物质必须在烟叶进入切丝工序前剔除干净。",
      "每次发现都要记录，作为评价供货单位的依据。"],
     ["在挑选台上逐箱检查", "剔除非烟物质并装袋", "记录所发现杂物的种类和重量"],
     "伸手取物前必须先停下输送带。", ["杂物剔除", "非烟物质"]),
    ("nicotine-sampling", "raw-material-quality", "quality-lab", "烟碱检测的烟叶取样",
     "入厂烟叶烟碱和糖含量检测的取样方案。",
     ["每垛烟叶分别从上、中、下三层取样。"], [], "",
     ["烟碱", "取样"]),
    ("warehouse-humidity", "storage", "storage", "原料仓库温湿度控制",
     "原料库温度和相对湿度的控制范围及调节方法。",
     ["原料库温度宜控制在25℃以下，相对湿度保持在60%至65%。",
      "雨季应加强通风除湿，每日两次记录温湿度。"],
     ["每日8时和15时记录温湿度", "超过上限时开启除湿机", "异常情况报储运科"],
     "", ["温湿度", "仓储"]),
    ("aging-stacks", "storage", "storage", "片烟自然醇化的堆垛管理",
     "自然醇化期间的堆垛方式、翻垛周期和检查要点。",
     ["片烟醇化一般需要12至24个月，醇化期间应定期检查垛温。"],
     ["按产地和等级分垛", "每季度翻垛一次", "垛温超过35℃时立即翻垛"], "", ["醇化", "堆垛"]),
    ("pest-monitoring", "storage", "storage", "烟草甲虫的虫情监测",
     "用诱捕器监测烟草甲虫和烟草粉螟，超过阈值时组织熏蒸。",
     ["每100平方米设一个诱捕器，每周检查一次虫口数量。"],
     ["布设诱捕器", "每周计数并记录", "超过阈值申请熏蒸杀虫"], "熏蒸期间严禁人员进入仓库。",
     ["虫情监测", "烟草甲虫"]),
    ("fifo", "storage", "storage", "成品库的先进先出",
     "成品卷烟按生产日期顺序出库的做法。",
     ["每个托盘都标有生产日期，出库时先取日期最早的托盘。"],
     ["扫描托盘标签", "确认该托盘是本巷道日期最早的", "出库并登记"],
     "", ["先进先出", "成品库"]),
    ("cold-season-storage", "storage", "storage", "冬季仓储注意事项",
     "冬季低温干燥时的仓储要点。", ["冬季空气干燥，需防止烟叶过干造碎。"], [], "", ["仓储"]),
    ("cigarette-weight", "product-quality-control", "quality", "卷烟单支重量的在线控制",
     "卷接机组单支重量的控制范围与调整方法。",
     ["单支重量偏差应控制在±30毫克以内，超出时调整平准器。"],
     ["每30分钟抽检20支", "计算平均值和标准偏差", "超差时通知机台调整"],
     "", ["单支重量", "卷接机组"]),
    ("draw-resistance", "product-quality-control", "quality-lab", "吸阻和硬度的检测",
     "综合测试台检测吸阻、硬度、圆周的方法。",
     ["吸阻过大影响抽吸感受，与烟丝填充和滤嘴棒有关。"], [], "", ["吸阻", "硬度"]),
    ("appearance-defects", "product-quality-control", "production-rolling", "卷烟外观质量缺陷",
     "常见外观缺陷（皱纹、污点、空头）的判定与原因。",
     ["空头率超标多因烟丝结构偏碎或烟丝水分偏低。"],
     ["对照缺陷图谱判定", "统计各类缺陷数量", "分析原因并反馈车间"], "", ["外观质量", "空头率"]),
    ("sensory-evaluation", "product-quality-control", "quality", "叶组配方的感官评吸",
     "评吸小组如何评价新的叶组配方。",
     ["至少七名经过培训的评吸员在安静、通风的评吸室内评吸编码样品。"],
     ["对样品进行编码", "评吸员各自独立打分", "去掉一个最高分和一个最低分"],
     "", ["评吸", "感官质量"]),
    ("tipping-paper", "product-quality-control", "purchasing", "接装纸和卷烟纸的到货检验",
     "辅料到货检验项目和抽样规则。", ["卷烟纸检验透气度、定量和白度。"],
     [], "", ["卷烟纸", "接装纸"]),
    ("cut-filler", "product-quality-control", "production-primary", "烟丝结构与填充值",
     "整丝率、碎丝率和填充值的检测及其对卷制的影响。",
     ["整丝率低、碎丝率高会导致空头和单支重量波动。"], [], "", ["烟丝结构", "填充值"]),
    ("dryer-maintenance", "equipment-maintenance", "production-primary", "烘丝机的日常保养",
     "滚筒烘丝机每班、每周的保养内容。",
     ["烘丝机筒壁温度和热风温度直接影响烟丝含水率和色泽。"],
     ["每班清理筒内残留烟丝", "每周检查蒸汽阀门和疏水器", "每月校准温度传感器"],
     "检修前必须关闭蒸汽并挂牌上锁。", ["烘丝机", "保养"]),
    ("maker-maintenance", "equipment-maintenance", "production-rolling", "卷接机组的周保养",
     "卷接机组每周保养的项目和标准。", ["保养重点是烙铁、刀头、布带和吸丝带。"],
     ["停机并切断电源", "清洁烟枪和布带", "检查刀头磨损", "试机并抽检"],
     "机器未完全停止前严禁将手伸入。", ["卷接机组"]),
    ("cutter-knives", "equipment-maintenance", "production-primary", "切丝机刀片的更换",
     "切丝机刀片的更换时机和更换方法。",
     ["刀片变钝会挤碎烟叶，使碎末比例升高。"],
     ["停机并挂牌上锁", "拆下刀座", "装上新刀片并校准"],
     "刀片锋利，必须佩戴防割手套。", ["切丝机", "刀片"]),
    ("conditioning-cylinder", "equipment-maintenance", "production-primary", "松散回潮机的故障排查",
     "松散回潮机出口温度、水分异常的常见原因。", ["出口水分偏低时先检查加水流量计和喷嘴。"], [], "",
     ["松散回潮机"]),
    ("air-compressor", "equipment-maintenance", "production", "空压机的日常点检",
     "保证压缩空气干燥、压力稳定的日常点检内容。",
     ["压缩空气含水会损坏卷接机组和包装机组的气动阀。"],
     ["排放冷凝水", "检查油位", "记录出口压力"], "", ["空压机"]),
    ("packer-jams", "equipment-maintenance", "production-rolling", "包装机组常见卡烟故障",
     "包装机组卡烟的原因和处理。", ["卡烟多发生在烟包成型和透明纸包装工位。"],
     [], "", ["包装机组"]),
    ("dust-fire", "safety", "production-primary", "制丝车间粉尘防爆",
     "烟草粉尘的防爆要求和除尘器管理。",
     ["烟草粉尘达到一定浓度遇火源可能爆炸，除尘器必须定期清灰。"],
     ["每班清理地面和设备积尘", "每周检查除尘器泄爆片", "严禁在车间动火"],
     "动火作业必须办理动火证。", ["除尘器", "防爆"]),
    ("forklift-safety", "safety", "storage", "仓库叉车安全操作",
     "在高垛之间驾驶叉车的规定。",
     ["只有持证司机才能驾驶叉车，巷道内车速不得超过每小时5公里。"],
     ["班前检查制动和喇叭", "行驶时货叉保持低位"],
     "严禁用货叉载人。", ["叉车", "仓储"]),
    ("lockout", "safety", "production", "设备检修挂牌上锁规定",
     "检修前能量隔离、挂牌上锁的步骤。", ["挂牌上锁是防止检修中设备误启动的最后防线。"],
     ["通知操作人员", "切断并锁定能源", "挂牌并验证", "检修完毕后由本人解锁"],
     "严禁他人代为解锁。", ["挂牌上锁"]),
    ("retail-service-visits", "sales-service", "sales", "客户经理走访要点",
     "客户经理走访零售户时的检查与记录要点。",
     ["走访时检查陈列、价格公示和真伪，记录客户需求。"], [], "", ["走访", "零售终端"]),
    ("complaint-callback", "sales-service", "sales-market", "零售客户投诉的处理",
     "24小时内回访的承诺以及如何做到。",
     ["每一件投诉都由客户经理在24小时内回访。"],
     ["受理投诉", "24小时内回访", "记录处理结果"], "",
     ["投诉", "客户服务"]),
]  # fmt: skip

EXTERNAL = [
    ("display-tips", "sales-service", "sales-market", "卷烟陈列技巧",
     "让畅销品规一眼可见的柜台陈列方法。",
     ["畅销品规放在与视线平行的位置，新品放在收银台附近。"],
     ["按价位分区", "同品牌集中陈列", "每天整理价签"], "", ["陈列"]),
    ("counterfeit-check", "sales-service", "sales", "真伪鉴别入门",
     "从包装、防伪标识和烟支外观鉴别假烟。",
     ["真品包装印刷清晰，防伪标识在不同角度下颜色变化明显。"],
     ["看包装印刷", "查防伪标识", "比对烟支钢印"],
     "发现假烟请及时向客户经理报告。", ["真伪鉴别", "假烟"]),
    ("store-humidity", "storage", "storage", "门店条烟的保鲜存放",
     "零售客户简单易行的存放规则。",
     ["条烟要避开阳光直射、取暖设备和潮湿的墙面。"],
     ["离地存放", "轮换库存：先进先出"], "", ["仓储", "条烟"]),
    ("ordering-cycle", "sales-service", "sales", "订货周期是怎样运作的",
     "零售客户的订货时间、货源分配和送货。",
     ["请在本户的订货时间内订货，货物在所在送货线路的送货日送达。"],
     [], "", ["订货"]),
    ("shop-fire-safety", "safety", "sales", "零售店防火常识",
     "卷烟零售店的防火要点。", ["店内严禁吸烟，灭火器放在易取位置并定期检查。"], [], "", ["防火"]),
    ("price-display", "sales-service", "sales-market", "明码标价要求",
     "零售卷烟的价格公示规定。", ["每个品规都应有清晰的价签，价格与公示一致。"], [], "", ["价签"]),
]  # fmt: skip


def _body(paragraphs, steps, warning):
    body = [{"type": "text", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}]
    if steps:
        body.append({"type": "steps", "value": {"title": "", "steps": steps}})
    if warning:
        body.append({"type": "warning", "value": {"level": "caution", "text": warning}})
    return body


def _owner(department):
    employee = Employee.objects.filter(department=department).select_related("user").first()
    return employee.user if employee else None


def _add(parent, row, number) -> bool:
    slug, type_slug, department_code, title, summary, paragraphs, steps, warning, tags = row
    if ArticlePage.objects.filter(slug=slug).exists():
        return False
    department = Department.objects.filter(code=department_code).first()
    knowledge_type = Type.objects.filter(slug=type_slug).first()
    if department is None or knowledge_type is None:
        return False
    owner = _owner(department)
    page = ArticlePage(
        title=title,
        slug=slug,
        summary=summary,
        body=_body(paragraphs, steps, warning),
        department=department,
        knowledge_type=knowledge_type,
        owner=owner,
        live=False,
        # A few are overdue, so that the review list has something to show.
        review_by=timezone.localdate() + timedelta(days=-10 if number % 9 == 0 else 300),
    )
    page.tags.set(tags)
    parent.add_child(instance=page)
    # Demo data stands for articles the editors approved earlier.
    page.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)
    return True


def seed(*, stdout):
    internal = KnowledgeIndexPage.objects.first()
    external = ExternalKnowledgeIndexPage.objects.first()
    if internal is None or external is None:
        stdout.write("Knowledge base not set up (run migrate); demo articles skipped.")
        return
    created = 0
    with transaction.atomic():
        for number, row in enumerate(INTERNAL):
            created += _add(internal, row, number)
        for number, row in enumerate(EXTERNAL, start=1):
            created += _add(external, row, number)
    stdout.write(
        f"Knowledge: {ArticlePage.objects.live().count()} published articles ({created} new)."
    )
