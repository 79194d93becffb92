"""Demo data of the forum: a few boards (one for the quality department only), pseudonyms for a
handful of staff and some topics with replies, posted through the services. Idempotent."""

from django.db import transaction

from forum.models import Board, Identity, Pseudonym
from forum.services import posting
from portal.models import Department, Employee

# (slug, name, English name, description)
BOARDS = [
    ("general", "综合讨论", "General discussion", "工作中的大事小情，畅所欲言。"),
    (
        "suggestions",
        "合理化建议",
        "Suggestions for improvement",
        "改进工作方法、流程与管理的建议。",
    ),
    ("canteen", "食堂与后勤", "Canteen and services", "食堂、宿舍、班车与各项后勤服务。"),
]
PSEUDONYMS = ["安静苍鹭101", "勇敢丹鹤202", "沉稳水獭303", "银色青松404", "翠绿莲花505"]
TOPICS = [
    (
        "general",
        "夜班休息室的空调什么时候修？",
        "三号车间夜班休息室的空调坏了一周了，有人报修过吗？",
        ["上周二报过，说配件在路上。", "@安静苍鹭101 我去问问动力科。"],
    ),
    (
        "suggestions",
        "建议在卷包车间增加一块质量看板",
        "把每班的**外观缺陷数**公布出来，大家心里有数：\n\n- 按机台统计\n- 每班更新",
        ["赞同，最好和质检科的数据同步。"],
    ),
    ("canteen", "早餐能不能多几个品种？", "现在只有包子和稀饭，能不能加点面条？", []),
]


def seed(*, stdout):
    if Board.objects.filter(slug="general").exists():
        return
    with transaction.atomic():
        boards = {}
        for order, (slug, name, name_en, description) in enumerate(BOARDS):
            boards[slug] = Board.objects.create(
                slug=slug, name=name, name_en=name_en, description=description, sort_order=order
            )
        quality = Department.objects.filter(code="quality").first()
        if quality is not None:
            Board.objects.create(
                slug="quality-internal",
                name="质检科内部",
                name_en="Quality Inspection (internal)",
                description="质检科同事内部交流。",
                department=quality,
                sort_order=10,
            )
        staff = list(
            Employee.objects.select_related("user").order_by("employee_number")[20 : 20 + 5]
        )
        pseudonyms = []
        for employee, name in zip(staff, PSEUDONYMS, strict=False):
            pseudonym = Pseudonym.objects.create(name=name)
            Identity.objects.create(user=employee.user, pseudonym=pseudonym)
            pseudonyms.append(pseudonym)
        if not pseudonyms:
            return
        for index, (slug, title, body, replies) in enumerate(TOPICS):
            topic = posting.topic_create(
                board=boards[slug],
                title=title,
                body=body,
                author=pseudonyms[index % len(pseudonyms)],
            )
            for offset, reply in enumerate(replies, start=1):
                posting.post_reply(
                    author=pseudonyms[(index + offset) % len(pseudonyms)], topic=topic, body=reply
                )
    stdout.write(f"Forum: {Board.objects.count()} boards, {len(pseudonyms)} pseudonyms.")
