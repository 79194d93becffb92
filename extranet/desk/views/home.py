"""The index of the sales pages."""

from django.shortcuts import render
from django.utils import timezone

from extranet import permissions
from extranet.crm import licences
from extranet.crm.selectors import retailers_visible_to
from extranet.market import permissions as market_permissions

ATTENTION_LIMIT = 10


def _attention(user):
    """The stores the user looks after that may not order (not open, licence expired) or whose
    licence expires within the warning days: the account manager's work list."""
    if not permissions.is_sales_staff(user):
        return None
    today = timezone.localdate()
    stores = list(
        licences.needing_attention(retailers_visible_to(user), today)[: ATTENTION_LIMIT + 1]
    )
    for store in stores:
        store.buying = licences.buying_state(store, today)
    return {"stores": stores[:ATTENTION_LIMIT], "more": len(stores) > ATTENTION_LIMIT}


def index(request):
    return render(
        request,
        "extranet/staff/index.html",
        {
            "active_module": "sales",
            "is_sales_staff": permissions.is_sales_staff(request.user),
            "may_import": permissions.may_import_retailers(request.user),
            "may_feedback": permissions.may_use_feedback_desk(request.user),
            "may_market": market_permissions.may_use_market_desk(request.user),
            "may_analysis": market_permissions.may_see_analysis(request.user),
            "attention": _attention(request.user),
        },
    )
