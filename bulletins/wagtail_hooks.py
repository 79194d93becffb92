"""Wagtail integration of the bulletins: who may read the files notices hold."""

from wagtail import hooks

from bulletins.models import Notice
from bulletins.selectors import notices_visible_to


def _notices_readable(*, user, face):
    # Notices are intranet-only: a file a notice holds never leaves by the extranet.
    if face != "intranet":
        return Notice.objects.none()
    return notices_visible_to(user=user)


@hooks.register("portal_file_readers")
def notice_file_readers():
    """A notice's attachments and the pictures and documents of its body are read by whoever
    may read the notice (portal.file_access)."""
    return [(Notice, _notices_readable)]
