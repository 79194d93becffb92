"""`PageLinks.url` gives the address Wagtail's own `get_url` gives, from each face, for pages of
either site and slugs in any script, while reversing each address once per process."""

import pytest

from portal.search.indexes import PageLinks, _served_path
from portal.sites import site_for_face
from tests.factories.knowledge import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_links_are_wagtails_own(settings, face):
    from tests.conftest import set_face

    set_face(settings, face)
    pages = [
        ArticlePageFactory(face="intranet", slug="drying"),
        ArticlePageFactory(face="extranet", slug="display"),
        ArticlePageFactory(face="intranet", slug="烘丝机-清洁"),
    ]
    links = PageLinks(face)
    for page in pages:
        expected = page.get_url(current_site=site_for_face(face))
        assert links.url(page) == expected
        assert links.url(page) == expected  # again, from the kept address
    own = pages[0] if face == "intranet" else pages[1]
    assert links.url(own).startswith("/articles/")
    other = pages[1] if face == "intranet" else pages[0]
    assert links.url(other).startswith("http")  # the other site's page: a full address
    assert links.url(pages[2]) in (
        "/articles/%E7%83%98%E4%B8%9D%E6%9C%BA-%E6%B8%85%E6%B4%81/",
        site_for_face("intranet").root_url
        + "/articles/%E7%83%98%E4%B8%9D%E6%9C%BA-%E6%B8%85%E6%B4%81/",
    )


def test_each_address_is_reversed_once(intranet):
    _served_path.cache_clear()
    pages = [ArticlePageFactory(face="intranet") for _ in range(3)]
    links = PageLinks("intranet")
    for _round in range(2):
        for page in pages:
            links.url(page)
    assert _served_path.cache_info().misses == 3
