import functools
import io

import factory
from django.core.files.base import ContentFile
from fpdf import FPDF

from documents.circulation.models import CircularReport, ReportDelivery, ReportType
from documents.register.models import Category, DocumentFile, PolicyDocument
from tests.factories.people import DepartmentFactory

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


@functools.lru_cache(maxsize=64)
def chinese_pdf(text: str) -> bytes:
    """A small PDF whose text layer holds `text` (Chinese included)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("noto", fname=CJK_FONT)
    pdf.set_font("noto", size=12)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def word_file(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"类别{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class PolicyDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyDocument

    issuing_department = factory.SubFactory(DepartmentFactory)
    number_prefix = "厂办"
    year = 2026
    sequence = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"管理制度{n}")
    level = PolicyDocument.Level.FACTORY
    status = PolicyDocument.Status.IN_FORCE
    summary = ""


class DocumentFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentFile

    document = factory.SubFactory(PolicyDocumentFactory)
    kind = DocumentFile.Kind.OFFICIAL
    original_name = "制度.pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(b"%PDF-1.4 test", name=o.original_name))
    size = 13


class ReportTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"报告类型{n}")
    name_en = factory.Sequence(lambda n: f"Report type {n}")
    source = factory.SubFactory(DepartmentFactory)
    due_hours = 48

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """`destination=` for one destination (the common case), `destinations=[…]` for several;
        a new department when neither is given."""
        destination = kwargs.pop("destination", None)
        destinations = kwargs.pop("destinations", None)
        obj = super()._create(model_class, *args, **kwargs)
        if destinations is None:
            destinations = [destination if destination is not None else DepartmentFactory()]
        obj.destinations.set(destinations)
        return obj


# A report's status -> the status of its deliveries (one decision for all destinations).
DELIVERY_STATUS = {"sent": "sent", "accepted": "accepted", "returned": "returned"}


def deliveries_for(reports, destinations=None) -> list:
    """Deliveries of reports made without the services (bulk data): one per destination of the
    report's type (or `destinations`), in the state the report's status implies."""
    rows = []
    for report in reports:
        targets = destinations or list(report.report_type.destinations.all())
        rows += [
            ReportDelivery(
                report=report,
                destination=department,
                status=DELIVERY_STATUS.get(report.status, "waiting"),
            )
            for department in targets
        ]
    return ReportDelivery.objects.bulk_create(rows, batch_size=2000)


class CircularReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CircularReport
        skip_postgeneration_save = True

    report_type = factory.SubFactory(ReportTypeFactory)
    source = factory.SelfAttribute("report_type.source")
    title = factory.Sequence(lambda n: f"月度报告{n}")
    body = "内容"
    status = CircularReport.Status.DRAFT

    @factory.post_generation
    def deliveries(self, create, extracted, **kwargs):
        if create:
            deliveries_for([self])
