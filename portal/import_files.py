"""Uploaded sheets kept between an import's preview and its confirmation.

A sheet is stored under MEDIA_ROOT/imports/<folder>/ (never served by URL: MEDIA_URL points
nowhere) under a random token that only the uploader's session and form carry, so that what is
confirmed is exactly what was previewed and nobody uploads it twice. It is deleted when the
import is confirmed or cancelled, and by `import_files_sweep` (hourly) once it is a day old.
"""

import secrets
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings

KEEP_FOR = timedelta(days=1)


def imports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _folder(folder: str) -> Path:
    path = imports_root() / folder if folder else imports_root()
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_file_keep(uploaded, *, folder: str, suffix: str) -> str:
    """Store the uploaded file; returns the token that names it (letters, digits, - and _)."""
    token = secrets.token_urlsafe(16) + suffix
    with open(_folder(folder) / token, "wb") as target:
        for chunk in uploaded.chunks():
            target.write(chunk)
    return token


def import_file_kept(token: str, *, folder: str, suffixes: tuple[str, ...]) -> Path | None:
    """The stored file of `token`, or None when the token is malformed or its file gone."""
    if not token or "/" in token or "\\" in token or token.startswith("."):
        return None
    if not token.endswith(suffixes):
        return None
    path = _folder(folder) / token
    return path if path.is_file() else None


def import_file_forget(token: str, *, folder: str, suffixes: tuple[str, ...]) -> None:
    path = import_file_kept(token, folder=folder, suffixes=suffixes)
    if path is not None:
        path.unlink(missing_ok=True)


def import_files_sweep(*, now: float | None = None, keep_for: timedelta = KEEP_FOR) -> int:
    """Delete every kept sheet older than `keep_for` (a preview nobody confirmed); returns how
    many. Idempotent."""
    root = imports_root()
    if not root.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - keep_for.total_seconds()
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
