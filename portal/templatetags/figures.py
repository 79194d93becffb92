"""{% load figures %}: money, counts and plain numbers as staff read them (portal/figures.py)."""

from django import template

from portal import figures

register = template.Library()


@register.filter
def money(value):
    """{{ amount|money }} → ¥147,260.01"""
    return figures.money_text(value)


@register.filter
def count(value):
    """{{ orders|count }} → 12,345"""
    return figures.count_text(value)


@register.filter
def plain(value, places=2):
    """{{ bound|plain }} → 200 (no needless decimals), 12.5"""
    return figures.number_text(value, int(places))


@register.filter
def figure(value, kind=""):
    """{{ cell|figure:"money" }}: a table cell by its column's kind."""
    return figures.figure_text(value, kind)
