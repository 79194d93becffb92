"""The Wagtail site of each face, looked up once per process."""

from functools import lru_cache

from django.db.utils import DatabaseError


@lru_cache(maxsize=4)
def _site_fields(face):
    from wagtail.models import Site

    return (
        Site.objects.filter(site_name=face)
        .values("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")
        .first()
    )


def site_for_face(face):
    """The face's Site (named "intranet" or "extranet"), or None until set-up created it."""
    from wagtail.models import Site

    try:
        fields = _site_fields(face)
    except DatabaseError:
        return None
    if fields is None:
        _site_fields.cache_clear()
        return None
    return Site(**fields)


def forget_sites():
    """Call after creating or changing the sites (set-up, tests)."""
    _site_fields.cache_clear()
