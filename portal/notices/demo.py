"""Demo data of the mass notices: one notice from the Director's Office to all
staff, already delivered, so that every demo login finds it in their inbox. Idempotent."""

from django.utils import timezone

from portal.models import Employee, User
from portal.notices.models import Notice, NoticeDelivery

DEMO_SUBJECT = "关于开展质量月活动的通知"
DEMO_BODY = (
    "各部门、各车间：\n\n"
    "为进一步提高产品质量，厂部决定在本月开展质量月活动。具体安排如下：\n\n"
    "- 各车间组织一次质量自查\n"
    "- 质检科安排抽检并通报结果\n"
    "- 月底召开总结会\n\n"
    "请各部门认真落实。"
)


def seed(*, stdout):
    from portal.notices.services import notice_body_html

    sender = User.objects.filter(username="E00003").first()  # the Director's Office clerk
    if sender is None or Notice.objects.filter(subject=DEMO_SUBJECT).exists():
        return
    now = timezone.now()
    notice = Notice.objects.create(
        sender=sender,
        subject=DEMO_SUBJECT,
        body=DEMO_BODY,
        body_html=notice_body_html(DEMO_BODY),
        audience={"all": True},
        audience_label="全体员工",
        status=Notice.Status.SENT,
        sent_at=now,
        finished_at=now,
    )
    recipients = Employee.objects.filter(user__is_active=True).exclude(user__email="")
    NoticeDelivery.objects.bulk_create(
        [
            NoticeDelivery(
                notice=notice,
                recipient_id=user_id,
                email=email,
                status=NoticeDelivery.Status.SENT,
                attempts=1,
                sent_at=now,
            )
            for user_id, email in recipients.values_list("user_id", "user__email")
        ],
        batch_size=1000,
    )
    stdout.write(f"Demo notice sent to {notice.deliveries.count()} people.")
