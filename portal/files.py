"""Serving and accepting private files (attachments, official documents, photos).

Nothing under MEDIA_ROOT is ever served by URL (`MEDIA_URL` points nowhere): every download goes
through a view that first decides, with the app's selectors, whether this user may see the object
the file belongs to, and then answers with `private_file_response()`. In production the web
server sends the bytes: with `PRIVATE_FILES_ACCEL_PREFIX` set (e.g. `/protected-media/`, an
nginx `internal` location aliased to MEDIA_ROOT, see the README) the view answers with an
`X-Accel-Redirect` header only.
"""

import mimetypes
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

# Types a browser may show in its own tab; anything else (HTML, SVG, scripts, office files) is
# always a download, so an uploaded file can never run in the portal's origin.
INLINE_TYPES = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"}
)

# Where pictures' renditions are served from: portal.file_access.rendition_file, which checks
# who may see the picture first.
RENDITIONS_URL = "/image-files/"


class RenditionStorage(FileSystemStorage):
    """Renditions are stored under MEDIA_ROOT like every upload, but their URL is the checking
    view's, so that `{% image %}`, rich-text pictures and the admin's thumbnails work without
    MEDIA_ROOT being served (WAGTAILIMAGES_RENDITION_STORAGE)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_url", RENDITIONS_URL)
        super().__init__(**kwargs)


def private_file_response(
    field_file, *, filename: str | None = None, as_attachment: bool = True
) -> HttpResponse:
    """The file of a FieldFile for a user already found allowed to see it; 404 when the stored
    file is gone. Never cached by browsers or proxies."""
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404("No such file.")
    name = filename or PurePath(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type not in INLINE_TYPES:
        as_attachment = True
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    prefix = getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, name)
    else:
        response = FileResponse(
            field_file.open("rb"),
            as_attachment=as_attachment,
            filename=name,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def validate_upload(upload, *, allowed_suffixes, max_bytes: int | None = None) -> None:
    """A form's check of one uploaded file: its suffix is one of `allowed_suffixes` (".pdf", …)
    and it is not larger than `max_bytes` (default FILE_UPLOAD_LIMIT_BYTES)."""
    limit = max_bytes or settings.FILE_UPLOAD_LIMIT_BYTES
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in allowed_suffixes:
        raise ValidationError(
            _("%(name)s: files of this type cannot be uploaded (allowed: %(allowed)s).")
            % {"name": upload.name, "allowed": ", ".join(sorted(allowed_suffixes))},
            code="file_type",
        )
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than the limit of %(limit)d MB.")
            % {"name": upload.name, "limit": limit // (1024 * 1024)},
            code="file_size",
        )
