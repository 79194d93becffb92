"""Mass notices already sent: the first ten to all staff (so every bench employee's inbox has
notices), the others to one department each, with a delivery row per recipient."""

from django.db import transaction
from django.utils import timezone

from bench.generators import generator
from portal.models import Department, Employee, User
from portal.notices.models import Notice, NoticeDelivery

BATCH = 2000
ALL_STAFF_NOTICES = 10
SUBJECTS = ["停电通知", "质量月活动安排", "安全生产检查", "年度体检通知", "节假日值班安排",
            "消防演练通知", "职工培训报名", "设备检修计划"]  # fmt: skip


@generator("notices")
def notices(scale, rng):
    existing = Notice.objects.count()
    if existing >= scale.notices:
        return
    sender = User.objects.filter(username="E00003").first()  # the demo's Director's Office clerk
    if sender is None:
        return
    departments = list(Department.objects.order_by("code"))
    staff = list(
        Employee.objects.filter(user__is_active=True).values_list(
            "user_id", "user__email", "department_id"
        )
    )
    now = timezone.now()
    with transaction.atomic():
        for index in range(existing, scale.notices):
            subject = f"{rng.choice(SUBJECTS)}（{index + 1}）"
            if index < ALL_STAFF_NOTICES:
                audience, recipients = {"all": True}, staff
            else:
                department = rng.choice(departments)
                audience = {"departments": [department.code], "include_sections": False}
                recipients = [row for row in staff if row[2] == department.pk]
            notice = Notice.objects.create(
                sender=sender,
                subject=subject,
                body="请各部门按通知要求执行。",
                body_html="<p>请各部门按通知要求执行。</p>",
                audience=audience,
                audience_label="全体员工" if audience.get("all") else audience["departments"][0],
                status=Notice.Status.SENT,
                sent_at=now,
                finished_at=now,
            )
            NoticeDelivery.objects.bulk_create(
                [
                    NoticeDelivery(
                        notice=notice,
                        recipient_id=user_id,
                        email=email or "unknown@factory.example.com",
                        status=NoticeDelivery.Status.SENT,
                        attempts=1,
                        sent_at=now,
                    )
                    for user_id, email, _department in recipients
                ],
                batch_size=BATCH,
            )
