"""Plain text out of uploaded files (PDF, Word, Excel, text), for search.

Extraction is slow and memory-hungry on large files, so it only ever runs in a background task;
the text is stored with the file's record so that reindexing never parses a file again.
Whatever goes wrong inside a parser (a damaged or encrypted file, an unknown format) gives an
empty text and a log line, never an exception: a file that cannot be read is still stored and
served, it is just not found by its contents.
"""

import logging
import re
from pathlib import PurePath

logger = logging.getLogger(__name__)

# Enough for any real regulation or report; a pathological file must not fill the index.
MAX_CHARACTERS = 500_000

EXTRACTABLE_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".txt", ".csv", ".md"})

# NUL and other control characters (PostgreSQL text cannot hold NUL; some PDF fonts emit them),
# keeping tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def extract_text(file, *, filename: str) -> str:
    """The text of `file` (a path or a binary file object, positioned at its start), judged by
    the suffix of `filename`; "" for formats it cannot read."""
    suffix = PurePath(filename).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        return ""
    try:
        text = reader(file)
    except Exception:  # a damaged upload must not break the task that indexes it
        logger.warning("Could not extract text from %s", filename, exc_info=True)
        return ""
    return clean_text(text)


def clean_text(text: str) -> str:
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _BLANK_LINES.sub("\n\n", text).strip()[:MAX_CHARACTERS]


def _pdf(file) -> str:
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted:
        reader.decrypt("")
    parts, size = [], 0
    for page in reader.pages:
        part = page.extract_text() or ""
        parts.append(part)
        size += len(part)
        if size > MAX_CHARACTERS:
            break
    return "\n".join(parts)


def _docx(file) -> str:
    import docx

    document = docx.Document(file)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(file) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    parts, size = [], 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join(str(value) for value in row if value is not None)
                if line:
                    parts.append(line)
                    size += len(line)
                if size > MAX_CHARACTERS:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


def _plain(file) -> str:
    if hasattr(file, "read"):
        data = file.read(MAX_CHARACTERS * 4)
    else:
        with open(file, "rb") as handle:
            data = handle.read(MAX_CHARACTERS * 4)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


_READERS = {
    ".pdf": _pdf,
    ".docx": _docx,
    ".xlsx": _xlsx,
    ".txt": _plain,
    ".csv": _plain,
    ".md": _plain,
}
