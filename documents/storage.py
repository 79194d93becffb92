"""Where the documents app stores uploaded files: under a random name in a folder of the month,
never under the name the file came with (which is kept in the row instead), so that a stored
name gives nothing away."""

import uuid
from pathlib import PurePath

from django.utils import timezone


def _stored_name(folder: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def document_file_path(instance, filename):
    return _stored_name("documents", filename)


def report_attachment_path(instance, filename):
    return _stored_name("reports", filename)
