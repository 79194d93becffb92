import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.notices.models import Notice, NoticeAttachment, NoticeDelivery
from tests.factories.people import EmployeeFactory


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    sender = factory.LazyFunction(lambda: EmployeeFactory().user)
    subject = factory.Sequence(lambda n: f"通知{n}")
    body = "请各部门注意。"
    body_html = "<p>请各部门注意。</p>"
    audience = factory.LazyFunction(lambda: {"all": True})
    audience_label = "All staff"
    status = Notice.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)


class NoticeAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeAttachment

    notice = factory.SubFactory(NoticeFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="plan.pdf"))
    name = "plan.pdf"
    size = 13
    content_type = "application/pdf"


class NoticeDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeDelivery

    notice = factory.SubFactory(NoticeFactory)
    recipient = factory.LazyFunction(lambda: EmployeeFactory().user)
    email = factory.LazyAttribute(lambda delivery: delivery.recipient.email)
