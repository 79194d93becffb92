"""Each face's home page is found in one query (`portal.pages.serve_site_root`) instead of
Wagtail's two (the root page, then its specific fields), and Wagtail still serves it: the same
page, view restrictions and drafts as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from portal.sites import site_for_face
from tests.factories.people import RetailerLoginFactory

pytestmark = pytest.mark.django_db


def page_queries(queries):
    return [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"' in q["sql"]]


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_the_home_page_is_found_in_one_query(client, settings, employee, face):
    from tests.conftest import set_face

    set_face(settings, face)
    user = employee if face == "intranet" else RetailerLoginFactory().user
    client.force_login(user)
    root = site_for_face(face).root_page.specific
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert response.context["page"] == root
    assert type(response.context["page"]) is type(root)
    assert len(page_queries(queries)) == 1  # Wagtail's route: two


def test_a_view_restriction_on_the_home_page_still_holds(client, intranet, employee):
    client.force_login(employee)
    root = site_for_face("intranet").root_page
    PageViewRestriction.objects.create(
        page=root, restriction_type=PageViewRestriction.PASSWORD, password="秘密"
    )
    response = client.get("/")
    assert response.status_code == 200
    assert 'type="password"' in response.content.decode()
    assert response.context["page"] == root.specific


def test_an_unpublished_home_page_is_not_served(client, intranet, employee):
    client.force_login(employee)
    root = site_for_face("intranet").root_page
    root.live = False
    root.save(update_fields=["live"])
    assert client.get("/").status_code == 404
