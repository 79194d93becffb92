"""The register's list, read in one written-out SQL statement (documents.register.listing), lists
exactly what `documents_visible_to` allows, in the same order, under the same filters; its rows
are the ones the template loop wrote; its total, kept with the facets, is their number, and a
kept total that is wrong never hides a page."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.paginator import Paginator
from django.template import Context, Template
from django.utils import translation

from documents.register.listing import RegisterRows, document_rows_html
from documents.register.models import (
    DepartmentGrant,
    PolicyDocument,
    PolicyDocumentGroupObjectPermission,
    PolicyDocumentUserObjectPermission,
)
from documents.register.selectors import (
    documents_visible_to,
    register_counts,
    register_filtered,
    register_page_queryset,
)
from tests.factories.documents import CategoryFactory, PolicyDocumentFactory
from tests.integration.documents.conftest import employee_in

pytestmark = pytest.mark.django_db

READERS = (
    "head",
    "quality_head",
    "manager",
    "quality_member",
    "lab_member",
    "sales_member",
    "in_group",
)
FILTERS = (
    {},
    {"status": "in_force"},
    {"year": 2020, "level": "factory"},
    {"q": "制度1"},
    {"q": "%_\\"},
    {"category": "category", "department": "quality"},
)


@pytest.fixture
def register(plant):
    """Documents of every status, open and restricted, granted in every way."""
    view = Permission.objects.get(codename="view_policydocument")
    group = Group.objects.create(name="readers")
    plant.in_group = employee_in(plant.sales)
    plant.in_group.user.groups.add(group)
    category = CategoryFactory()
    departments = [plant.office, plant.quality, plant.lab, plant.sales]
    documents = [
        PolicyDocumentFactory(
            issuing_department=departments[i % 4],
            year=2018 + i % 4,
            sequence=i + 1,
            title=f"制度{i} 100%_\\",
            level=("factory", "department")[i % 2],
            category=category if i % 3 else None,
            status=("in_force", "superseded", "repealed", "draft")[i % 4],
            is_restricted=i % 3 == 0,
            effective_date=datetime.date(2020, 1, 1 + i % 28) if i % 2 else None,
        )
        for i in range(48)
    ]
    restricted = [d for d in documents if d.is_restricted]
    for i, document in enumerate(restricted):
        if i % 4 == 0:
            DepartmentGrant.objects.create(
                document=document, department=plant.quality, include_sections=i % 8 == 0
            )
        elif i % 4 == 1:
            PolicyDocumentUserObjectPermission.objects.create(
                content_object=document, user=plant.quality_member.user, permission=view
            )
        elif i % 4 == 2:
            PolicyDocumentGroupObjectPermission.objects.create(
                content_object=document, group=group, permission=view
            )
    return {"category": category.pk, "quality": plant.quality.pk}


def _filters(filters, register):
    return {key: register.get(value, value) for key, value in filters.items()}


def _written_out(user, filters, per_page=1000):
    rows = RegisterRows(user=user, filters=filters, per_page=per_page)
    rows.fetch(0)
    return [row[0] for row in rows.rows], len(rows)


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("chosen", FILTERS)
def test_the_listing_is_the_visibility_rule_written_out(plant, register, who, chosen):
    user = getattr(plant, who).user
    filters = _filters(chosen, register)
    expected = list(
        register_filtered(documents_visible_to(user=user), filters).values_list("pk", flat=True)
    )
    pks, total = _written_out(user, filters)
    assert pks == expected
    assert total == len(expected)


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("chosen", FILTERS)
def test_the_kept_total_counts_exactly_what_the_reader_may_see(plant, register, who, chosen):
    """The total kept with the facets (their status groups) is the number of documents the
    rule lets the reader see: restricted ones without a grant, and drafts, are never counted."""
    user = getattr(plant, who).user
    filters = _filters(chosen, register)
    expected = register_filtered(documents_visible_to(user=user), filters).count()
    assert register_counts(user=user, filters=filters).total == expected
    drafts = {**filters, "status": "draft"}
    assert register_counts(user=user, filters=drafts).total == (
        register_filtered(documents_visible_to(user=user), drafts).count()
    )


def test_no_one_outside_sees_anything(plant, register, retailer_user):
    from django.contrib.auth.models import AnonymousUser

    assert _written_out(retailer_user, {}) == ([], 0)
    assert _written_out(AnonymousUser(), {}) == ([], 0)
    plant.quality_member.user.is_active = False
    assert _written_out(plant.quality_member.user, {}) == ([], 0)


def test_pages_past_the_end_and_odd_numbers_behave_as_the_paginator(plant, register):
    user = plant.manager.user
    expected = list(documents_visible_to(user=user).values_list("pk", flat=True))
    for number, offset in (("1", 0), ("2", 10), ("9", 80), ("x", 0), ("0", 0)):
        rows = RegisterRows(user=user, filters={}, per_page=10)
        rows.fetch(offset)
        page = Paginator(rows, 10).get_page(number)
        reference = Paginator(expected, 10).get_page(number)
        assert page.number == reference.number
        assert [row[0] for row in page.object_list] == list(reference.object_list)
        assert page.paginator.count == len(expected)


@pytest.mark.parametrize("kept", [None, 3, 35, 40, 41, 47, 48, 49, 60])
def test_a_kept_total_is_shown_only_where_the_page_agrees_with_it(plant, register, kept):
    """48 documents, pages of 10: whatever total was kept (right, too low, too high), every page
    lists the right documents and links to the next one exactly when one follows; the last
    page's total is exact, and a kept total is shown only on a page with more beyond it."""
    user = plant.manager.user
    expected = list(documents_visible_to(user=user).values_list("pk", flat=True))
    assert len(expected) == 48
    for number in ("1", "2", "4", "5", "9"):
        rows = RegisterRows(user=user, filters={}, per_page=10, total=kept)
        rows.fetch(10 * (int(number) - 1))
        page = Paginator(rows, 10).get_page(number)
        reference = Paginator(expected, 10).get_page(number)
        assert page.number == reference.number
        assert [row[0] for row in page.object_list] == list(reference.object_list)
        assert page.has_next() == reference.has_next()
        if not reference.has_next() or kept is None or kept <= 10 * reference.number:
            assert page.paginator.count == 48
        else:
            assert page.paginator.count == kept


def test_the_first_page_of_a_short_list_counts_itself_without_a_query(
    plant, register, django_assert_num_queries
):
    user = plant.quality_member.user
    expected = register_filtered(documents_visible_to(user=user), {"q": "制度1"}).count()
    assert 0 < expected < 30
    rows = RegisterRows(user=user, filters={"q": "制度1"}, per_page=30)
    with django_assert_num_queries(1):
        rows.fetch(0)
        assert len(rows) == expected


OLD_ROW = Template(
    "{% load i18n %}{% for document in documents %}\n"
    '      <li class="doc-row">\n'
    '        <a href="{% url \'documents:detail\' document.pk %}"><span class="doc-number">'
    "{{ document.number }}</span> {{ document.title }}</a>\n"
    '        <div class="doc-meta">\n'
    '          <span class="doc-level">{{ document.get_level_display }}</span>\n'
    "          <span>{{ document.issuing_department.display_name }}</span>\n"
    "          {% if document.category %}<span>{{ document.category.display_name }}</span>"
    "{% endif %}\n"
    '          <span class="status status-{{ document.status }}">'
    "{{ document.get_status_display }}</span>\n"
    '          {% if document.is_restricted %}<span class="badge">'
    '{% translate "Restricted" context "policy document" %}</span>{% endif %}\n'
    "          {% if document.effective_date %}<span>"
    '{% translate "Effective" context "in force from" %} '
    '{{ document.effective_date|date:"Y-m-d" }}</span>{% endif %}\n'
    "        </div>\n"
    "      </li>\n      {% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_are_the_template_s_and_escaped(plant, register, intranet, language):
    plant.quality.name = plant.quality.name_en = '<b>&"质检'
    plant.quality.save()
    PolicyDocument.objects.update(title='<b>&"title', number_prefix="<厂&'办>")
    user = plant.manager.user
    rows = RegisterRows(user=user, filters={}, per_page=100)
    rows.fetch(0)
    with translation.override(language):
        written = document_rows_html(rows.rows)
        documents = list(register_page_queryset(user=user, filters={})[:100])
        assert written == OLD_ROW.render(Context({"documents": documents}))
    assert "&lt;b&gt;&amp;&quot;title" in written
    assert "&lt;厂&amp;&#x27;办&gt;〔" in written
    assert "<b>" not in written and "<厂" not in written
