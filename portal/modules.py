"""The modules of each face, as the navigation lists them (DESIGN.md)."""

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass
class Module:
    key: str
    label: str
    url_name: str
    description: str

    @cached_property
    def url(self):
        # Reversed once per process: the navigation is on every page.
        return reverse(self.url_name)


INTRANET_MODULES = [
    Module(
        "directory",
        pgettext_lazy("portal", "Directory"),
        "directory:index",
        _("Colleagues, phones and mail."),
    ),
    Module(
        "notices",
        pgettext_lazy("portal", "Notices"),
        "notices:inbox",
        _("Mass notices sent to you, and yours."),
    ),
    Module(
        "bulletins",
        pgettext_lazy("portal", "Bulletins"),
        "bulletins:index",
        _("Department notices and news."),
    ),
    Module(
        "forum",
        pgettext_lazy("portal", "Forum"),
        "forum:index",
        _("Speak your mind under your pseudonym."),
    ),
    Module(
        "knowledge",
        pgettext_lazy("portal", "Knowledge"),
        "knowledge:index",
        _("Classified know-how."),
    ),
    Module(
        "documents",
        pgettext_lazy("portal", "Documents"),
        "documents:index",
        _("Policies, regulations, reports."),
    ),
    Module("sales", _("Products & sales"), "sales:index", _("Catalogue, stock, market data.")),
]

EXTRANET_MODULES = [
    Module(
        "products",
        pgettext_lazy("portal", "Products"),
        "shop:products",
        _("Brands, prices and availability."),
    ),
    Module(
        "orders",
        pgettext_lazy("portal", "Orders"),
        "shop:orders",
        _("Order within your order cycle."),
    ),
    Module(
        "surveys",
        pgettext_lazy("portal", "Surveys"),
        "shop:surveys",
        _("Questionnaires from the company."),
    ),
    Module(
        "feedback",
        pgettext_lazy("portal", "Feedback"),
        "shop:feedback",
        _("Complaints, suggestions, questions."),
    ),
    Module("market", _("Market info"), "shop:market", _("Report what you see in the market.")),
    Module(
        "knowledge",
        pgettext_lazy("portal", "Knowledge"),
        "shop:knowledge",
        _("Guides for retailers."),
    ),
]

MODULES_BY_FACE = {"intranet": INTRANET_MODULES, "extranet": EXTRANET_MODULES}
