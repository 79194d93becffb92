"""{% load shop %}: the shop's own navigation, the same for every retailer but for the cart's
count."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=256)
def _shop_nav_html(cart_count, language: str, urlconf: str) -> str:
    return render_to_string("extranet/includes/shop_nav.html", {"cart_count": cart_count})


@register.simple_tag(takes_context=True)
def shop_nav(context):
    """Catalogue, cart (with its count), orders and profile: rendered once per process for each
    cart count, language and URL configuration."""
    return mark_safe(  # noqa: S308 - a template's output, rendered with autoescape
        _shop_nav_html(
            context.get("cart_count"), get_language(), str(get_urlconf() or settings.ROOT_URLCONF)
        )
    )
