"""The knowledge index's heading (title, buttons, search box) is rendered once per face,
language, kind of reader and chosen type and department, and kept
(`knowledge.templatetags.knowledge_index`): each reader still gets their own buttons, each
language its own words, each choice its own hidden fields, and the text reads as the template
rendered afresh."""

import re
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from knowledge.selectors import URL_NAMES
from knowledge.templatetags import knowledge_index
from tests.conftest import make_role_user, set_face
from tests.factories.knowledge import ArticlePageFactory, knowledge_type
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    knowledge_index._rendered.clear()
    with mock.patch.object(
        knowledge_index, "render_to_string", wraps=knowledge_index.render_to_string
    ) as render:
        yield render


def heading(html):
    return re.search(r'<section class="card">.*?</section>', html, re.S)[0]


def test_each_reader_gets_their_own_buttons_from_the_kept_heading(client, intranet, renders):
    report = reverse("knowledge:report")
    for role, sees in (("knowledge_editor", True), ("employee", False), ("knowledge_editor", True)):
        client.force_login(make_role_user(role))
        assert (report in heading(client.get(reverse("knowledge:index")).content.decode())) is sees
    assert renders.call_count == 2


def test_languages_faces_and_choices_are_kept_apart(client, settings, renders):
    department = DepartmentFactory(code="kt-dept")
    ArticlePageFactory(department=department, knowledge_type=knowledge_type("storage"))
    set_face(settings, "intranet")
    client.force_login(make_role_user("employee"))
    url = reverse("knowledge:index")
    found = {}
    for language in ("en", "zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        found[language] = heading(client.get(url).content.decode())
    assert "<h1>Knowledge base</h1>" in found["en"]
    assert "<h1>知识库</h1>" in found["zh-hans"]
    chosen = heading(client.get(f"{url}?type=storage&department=kt-dept").content.decode())
    assert '<input type="hidden" name="type" value="storage">' in chosen
    assert '<input type="hidden" name="department" value="kt-dept">' in chosen
    assert 'name="type"' not in found["en"]
    set_face(settings, "extranet")
    client.force_login(make_role_user("retailer"))
    shop = heading(client.get(reverse("shop:knowledge")).content.decode())
    assert "<h1>Retail knowledge base</h1>" in shop and "kb-actions" not in shop
    assert renders.call_count == 4


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("role", ["knowledge_editor", "employee"])
def test_the_kept_heading_reads_as_the_template_rendered_afresh(
    client, intranet, settings, role, language
):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(make_role_user(role))
    for _visit in range(2):
        response = client.get(reverse("knowledge:index") + "?type=storage")
        context = response.context
        with translation.override(language):
            afresh = render_to_string(
                "knowledge/_index_heading.html",
                {
                    "face": "intranet",
                    "kb_urls": URL_NAMES["intranet"],
                    "may_contribute": context["may_contribute"],
                    "is_editor": context["is_editor"],
                    "selected_type": context["browse"].knowledge_type,
                    "selected_department": None,
                },
            )
        assert heading(response.content.decode()) == heading(afresh)


def test_the_kept_search_box_holds_each_searchs_own_query_escaped(client, intranet, employee):
    client.force_login(employee)
    url = reverse("knowledge:search")
    for query in ('<b>"烘丝"</b>', "含水率", '<b>"烘丝"</b>'):
        page = client.get(url, {"q": query, "type": "storage"}).content.decode()
        assert knowledge_index.QUERY not in page
        box = re.search(r'<input id="kb-q"[^>]*>', page)[0]
        assert f'value="{escape(query)}"' in box
        assert '<input type="hidden" name="type" value="storage">' in page
    page = client.get(url).content.decode()
    assert 'value=""' in re.search(r'<input id="kb-q"[^>]*>', page)[0]
    assert 'name="type"' not in page
