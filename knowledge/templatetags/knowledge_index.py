"""{% load knowledge_index %}: the knowledge base index's heading (the title, the author's and
editors' buttons and the search box: `knowledge/_index_heading.html`), and the search box of
the search page (`knowledge/_search_box.html`).

`{% index_heading %}` renders it once per face, language, URL configuration, kind of reader
(may contribute, is an editor) and the knowledge type and department chosen, and keeps that text
for the life of the process. What it shows is fixed in code (labels, URLs) but for the chosen
type's slug and department's code, which are in the key: nothing is to forget.

`{% search_box selected_type selected_department %}` keeps the search box alike, with the
request's query put in, escaped, in place of a marker (letters and digits, which escaping
leaves as they are; random per process, so that no query a user types matches one).
"""

import secrets
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

TEMPLATE = "knowledge/_index_heading.html"
SEARCH_BOX_TEMPLATE = "knowledge/_search_box.html"
QUERY = "m" + secrets.token_hex(8) + "query"
# Faces × languages × kinds of reader × chosen types and departments: a bound anyway.
_MOST = 2000
_rendered: dict[tuple, str] = {}


def _kept(key, template_name, context, type_slug, department_code) -> str:
    """`template_name` rendered with `context` and the chosen type and department, once per
    key for the life of the process."""
    html = _rendered.get(key)
    if html is None:
        html = render_to_string(
            template_name,
            {
                **context,
                "selected_type": SimpleNamespace(slug=type_slug) if type_slug else None,
                "selected_department": (
                    SimpleNamespace(code=department_code) if department_code else None
                ),
            },
        )
        if len(_rendered) >= _MOST:
            _rendered.clear()
        _rendered[key] = html
    return html


@register.simple_tag(takes_context=True)
def index_heading(context):
    browse = context["browse"]
    face = context.get("face")
    knowledge_type, department = browse.knowledge_type, browse.department
    key = (
        face,
        translation.get_language(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        bool(context.get("may_contribute")),
        bool(context.get("is_editor")),
        knowledge_type.slug if knowledge_type else None,
        department.code if department else None,
    )
    html = _kept(
        key,
        TEMPLATE,
        {
            "face": face,
            "kb_urls": context["kb_urls"],
            "may_contribute": key[3],
            "is_editor": key[4],
        },
        *key[-2:],
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, values escaped


@register.simple_tag(takes_context=True)
def search_box(context, selected_type=None, selected_department=None):
    face = context.get("face")
    key = (
        "search_box",
        face,
        translation.get_language(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        selected_type.slug if selected_type else None,
        selected_department.code if selected_department else None,
    )
    html = _kept(
        key,
        SEARCH_BOX_TEMPLATE,
        {"face": face, "kb_urls": context["kb_urls"], "knowledge_query": QUERY},
        *key[-2:],
    )
    query = context.get("knowledge_query")
    html = html.replace(QUERY, escape(query) if query else "")
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, values escaped
