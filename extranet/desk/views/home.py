"""The index of the sales pages."""

from django.shortcuts import render

from extranet import permissions
from extranet.market import permissions as market_permissions


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
        },
    )
