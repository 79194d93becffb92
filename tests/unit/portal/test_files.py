"""Private file responses and text extraction (portal/files.py, portal/extraction.py)."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.http import Http404
from fpdf import FPDF
from openpyxl import Workbook

from portal.extraction import extract_text
from portal.files import private_file_response, validate_upload

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


class _Field:
    """Just what FieldFile needs of its model field."""

    def __init__(self, storage):
        self.storage = storage


def stored(tmp_path, name, data):
    storage = FileSystemStorage(location=tmp_path)
    storage.save(name, ContentFile(data))
    return FieldFile(None, _Field(storage), name)


def test_a_private_file_is_never_cached_and_office_files_are_downloads(tmp_path):
    response = private_file_response(stored(tmp_path, "docs/plan.xlsx", b"x"), as_attachment=False)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_html_is_always_a_download_but_a_pdf_may_open_in_the_browser(tmp_path):
    html = private_file_response(stored(tmp_path, "a.html", b"<script>"), as_attachment=False)
    pdf = private_file_response(stored(tmp_path, "a.pdf", b"%PDF"), as_attachment=False)
    assert html["Content-Disposition"].startswith("attachment")
    assert pdf["Content-Disposition"].startswith("inline")
    assert pdf["Content-Type"] == "application/pdf"


def test_the_web_server_sends_the_bytes_when_an_accel_prefix_is_set(tmp_path, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/protected-media/"
    response = private_file_response(stored(tmp_path, "docs/厂办 12.pdf", b"%PDF"))
    assert response["X-Accel-Redirect"] == "/protected-media/docs/%E5%8E%82%E5%8A%9E%2012.pdf"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"


def test_a_missing_file_is_a_404(tmp_path):
    field_file = stored(tmp_path, "gone.pdf", b"%PDF")
    field_file.storage.delete("gone.pdf")
    with pytest.raises(Http404):
        private_file_response(field_file)


def test_uploads_are_checked_for_type_and_size(settings):
    settings.FILE_UPLOAD_LIMIT_BYTES = 1024 * 1024
    validate_upload(SimpleUploadedFile("a.PDF", b"x"), allowed_suffixes={".pdf"})
    with pytest.raises(ValidationError) as wrong_type:
        validate_upload(SimpleUploadedFile("a.exe", b"x"), allowed_suffixes={".pdf"})
    with pytest.raises(ValidationError) as too_big:
        validate_upload(
            SimpleUploadedFile("a.pdf", b"x" * (1024 * 1024 + 1)), allowed_suffixes={".pdf"}
        )
    assert wrong_type.value.code == "file_type"
    assert too_big.value.code == "file_size"


def test_text_is_extracted_from_a_chinese_pdf():
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("noto", fname=CJK_FONT)
    pdf.set_font("noto", size=12)
    pdf.multi_cell(0, 10, "烟叶含水率检测规程 Moisture of tobacco leaves")
    text = extract_text(io.BytesIO(bytes(pdf.output())), filename="规程.PDF")
    assert "烟叶含水率检测规程" in text
    assert "\x00" not in text


def test_text_is_extracted_from_word_and_excel():
    document = docx.Document()
    document.add_paragraph("原料质量鉴别")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "叶片"
    table.cell(0, 1).text = "含水率"
    word = io.BytesIO()
    document.save(word)
    word.seek(0)
    workbook = Workbook()
    workbook.active.append(["月度计划", 250])
    excel = io.BytesIO()
    workbook.save(excel)
    excel.seek(0)
    word_text = extract_text(word, filename="a.docx")
    assert "原料质量鉴别" in word_text
    assert "叶片\t含水率" in word_text
    assert "月度计划\t250" in extract_text(excel, filename="a.xlsx")


def test_damaged_and_unknown_files_give_no_text():
    assert extract_text(io.BytesIO(b"not a pdf"), filename="a.pdf") == ""
    assert extract_text(io.BytesIO(b"PK broken"), filename="a.docx") == ""
    assert extract_text(io.BytesIO(b"MZ"), filename="a.exe") == ""


def test_gbk_text_files_are_read():
    assert extract_text(io.BytesIO("质量通报".encode("gb18030")), filename="a.txt") == "质量通报"
