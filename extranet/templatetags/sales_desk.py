"""The sales pages' own navigation, with only the tabs the user may open."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from extranet import permissions
from extranet.desk import pagination
from extranet.desk.form_html import form_as_p

register = template.Library()


@lru_cache(maxsize=32)
def _sales_nav_html(is_sales_staff: bool, language: str, urlconf: str) -> str:
    # The same for every user of a kind, language and face: links and labels only.
    return render_to_string(
        "extranet/staff/includes/sales_nav.html", {"is_sales_staff": is_sales_staff}
    )


@register.simple_tag(takes_context=True)
def sales_nav(context):
    """Products and stock for every employee; retailers, visits, orders and picking lists for
    the sales staff only (the others would meet a refusal there). Rendered once per process for
    each kind of user, language and URL configuration."""
    request = context["request"]
    return mark_safe(  # noqa: S308 - a template's output, rendered with autoescape
        _sales_nav_html(
            permissions.is_sales_staff(request.user),
            get_language(),
            str(get_urlconf() or settings.ROOT_URLCONF),
        )
    )


@register.filter
def as_p_kept(form):
    """`form.as_p` of a filter form whose choices are fixed in the code, written once per
    distinct values shown (extranet.desk.form_html)."""
    return form_as_p(form)


@register.simple_tag(takes_context=True)
def page_links(context, page):
    """extranet/includes/pagination.html for `page`, written in one pass
    (extranet.desk.pagination)."""
    return pagination.page_links(context["request"].GET, page)
