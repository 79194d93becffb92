import functools
import io

import factory
from django.core.files.base import ContentFile
from fpdf import FPDF

from documents.circulation.models import CircularReport, ReportType
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
    destination = factory.SubFactory(DepartmentFactory)
    due_hours = 48


class CircularReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CircularReport

    report_type = factory.SubFactory(ReportTypeFactory)
    source = factory.SelfAttribute("report_type.source")
    destination = factory.SelfAttribute("report_type.destination")
    title = factory.Sequence(lambda n: f"月度报告{n}")
    body = "内容"
    status = CircularReport.Status.DRAFT
