"""Each request's Site is a fresh, saved-looking instance equal to the database's row."""

import pytest
from django.db.models.signals import post_init
from wagtail.models import Site

from portal.sites import site_for_face

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("face", ["intranet", "extranet"])
def test_the_face_site_equals_the_row_and_is_not_new(face):
    site = site_for_face(face)
    row = Site.objects.get(site_name=face)
    assert site == row and site is not row
    assert (site.hostname, site.port, site.root_page_id, site.is_default_site) == (
        row.hostname,
        row.port,
        row.root_page_id,
        row.is_default_site,
    )
    assert site._state.adding is False and site._state.db == "default"
    assert site.root_page.specific.pk == row.root_page_id


def test_each_call_gives_its_own_instance_without_model_init(django_assert_num_queries):
    site_for_face("intranet")  # the row is read once per process
    inits = []

    def count(sender, instance, **kwargs):
        inits.append(instance)

    post_init.connect(count, sender=Site)
    try:
        with django_assert_num_queries(0):
            first, second = site_for_face("intranet"), site_for_face("intranet")
    finally:
        post_init.disconnect(count, sender=Site)
    assert first is not second and first == second
    first.hostname = "changed"
    assert second.hostname != "changed"
    assert inits == []
