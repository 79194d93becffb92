"""The sales pages' own navigation, with only the tabs the user may open."""

from django import template

from extranet import permissions
from extranet.desk.form_html import form_as_p

register = template.Library()


@register.inclusion_tag("extranet/staff/includes/sales_nav.html", takes_context=True)
def sales_nav(context):
    """Products and stock for every employee; retailers, visits, orders and picking lists for
    the sales staff only (the others would meet a refusal there)."""
    user = context["request"].user
    return {"is_sales_staff": permissions.is_sales_staff(user)}


@register.filter
def as_p_kept(form):
    """`form.as_p` of a filter form whose choices are fixed in the code, written once per
    distinct values shown (extranet.desk.form_html)."""
    return form_as_p(form)
