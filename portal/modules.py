"""The modules of each face, as the navigation lists them (DESIGN.md)."""

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    Module("directory", _("Directory"), "directory:index", _("Colleagues, phones and mail.")),
    Module("notices", _("Notices"), "notices:inbox", _("Mass notices sent to you, and yours.")),
    Module("bulletins", _("Bulletins"), "bulletins:index", _("Department notices and news.")),
    Module("forum", _("Forum"), "forum:index", _("Speak your mind under your pseudonym.")),
    Module("knowledge", _("Knowledge"), "knowledge:index", _("Classified know-how.")),
    Module("documents", _("Documents"), "documents:index", _("Policies, regulations, reports.")),
    Module("sales", _("Products & sales"), "sales:index", _("Catalogue, stock, market data.")),
]

EXTRANET_MODULES = [
    Module("products", _("Products"), "shop:products", _("Brands, prices and availability.")),
    Module("orders", _("Orders"), "shop:orders", _("Order within your order cycle.")),
    Module("surveys", _("Surveys"), "shop:surveys", _("Questionnaires from the company.")),
    Module("feedback", _("Feedback"), "shop:feedback", _("Complaints, suggestions, questions.")),
    Module("market", _("Market info"), "shop:market", _("Report what you see in the market.")),
    Module("knowledge", _("Knowledge"), "shop:knowledge", _("Guides for retailers.")),
]

MODULES_BY_FACE = {"intranet": INTRANET_MODULES, "extranet": EXTRANET_MODULES}
