"""Access-matrix rows of the extranet (shop) and its staff side (sales).

route (as the URL configuration spells it) → (a URL to request, or a function of no arguments
that makes the objects the URL needs and returns it; outcomes by role). The outcomes and row
builders are in tests/access.py.

On the staff side, account managers and sales administrators work with retailers and orders
(other employees: 403); an account manager sees only the retailers assigned to them, so a
retailer made by the row (assigned to nobody) answers them 404. On the extranet a retailer sees
only its own orders: the rows' orders belong to another retailer and answer 404.
"""

from tests.access import DENIED, MISSING, OK, extranet_row, intranet_row

METHOD_NOT_ALLOWED = "405"


def sales_staff_row(account_manager=OK, **overrides):
    return intranet_row(
        employees=DENIED,
        account_manager=account_manager,
        sales_administrator=OK,
        superuser=OK,
        **overrides,
    )


def administrator_row(account_manager=DENIED):
    return sales_staff_row(account_manager=account_manager)


def product_url(prefix):
    def make():
        from tests.factories.extranet import ProductFactory

        return f"{prefix}{ProductFactory().pk}/"

    return make


def retailer_url(suffix=""):
    def make():
        from tests.factories.extranet import OrderingRetailerFactory

        return f"/sales/retailers/{OrderingRetailerFactory().pk}/{suffix}"

    return make


def order_url(prefix, suffix=""):
    def make():
        from tests.factories.extranet import OrderFactory

        return f"{prefix}{OrderFactory().pk}/{suffix}"

    return make


def feedback_url(prefix, suffix="", photo=False):
    """Feedback of another retailer, assigned to nobody (an account manager gets 404)."""

    def make():
        from django.core.files.base import ContentFile

        from extranet.models import FeedbackPhoto
        from tests.factories.extranet import FeedbackFactory

        feedback = FeedbackFactory()
        if photo:
            item = FeedbackPhoto(feedback=feedback, name="p.png")
            item.file.save("p.png", ContentFile(b"png"), save=True)
            suffix_ = f"photos/{item.pk}/"
        else:
            suffix_ = suffix
        return f"{prefix}{feedback.pk}/{suffix_}"

    return make


INTRANET = {
    "sales/": ("/sales/", intranet_row()),
    "sales/products/": ("/sales/products/", intranet_row()),
    "sales/products/<int:product_id>/": (product_url("/sales/products/"), intranet_row()),
    "sales/retailers/": ("/sales/retailers/", sales_staff_row()),
    "sales/retailers/top/": ("/sales/retailers/top/", sales_staff_row()),
    "sales/retailers/import/": ("/sales/retailers/import/", administrator_row()),
    "sales/retailers/import/template/": (
        "/sales/retailers/import/template/",
        administrator_row(),
    ),
    "sales/retailers/grades/": (
        "/sales/retailers/grades/",
        intranet_row(employees=METHOD_NOT_ALLOWED),
    ),
    "sales/retailers/<int:retailer_id>/": (
        retailer_url(),
        sales_staff_row(account_manager=MISSING),
    ),
    "sales/retailers/<int:retailer_id>/edit/<str:group>/": (
        retailer_url("edit/static/"),
        sales_staff_row(account_manager=MISSING),
    ),
    "sales/orders/": ("/sales/orders/", sales_staff_row()),
    "sales/orders/advance/": (
        "/sales/orders/advance/",
        intranet_row(employees=METHOD_NOT_ALLOWED),
    ),
    "sales/orders/picking/": ("/sales/orders/picking/", sales_staff_row()),
    "sales/orders/<int:order_id>/": (
        order_url("/sales/orders/"),
        sales_staff_row(account_manager=MISSING),
    ),
    "sales/feedback/": ("/sales/feedback/", sales_staff_row()),
    "sales/feedback/<int:feedback_id>/": (
        feedback_url("/sales/feedback/"),
        sales_staff_row(account_manager=MISSING),
    ),
    "sales/feedback/<int:feedback_id>/photos/<int:photo_id>/": (
        feedback_url("/sales/feedback/", photo=True),
        sales_staff_row(account_manager=MISSING),
    ),
    "sales/feedback/<int:feedback_id>/<str:action>/": (
        feedback_url("/sales/feedback/", "note/"),
        intranet_row(employees=METHOD_NOT_ALLOWED),
    ),
}

EXTRANET = {
    "shop/products/": ("/shop/products/", extranet_row()),
    "shop/products/<int:product_id>/": (product_url("/shop/products/"), extranet_row()),
    "shop/cart/": ("/shop/cart/", extranet_row()),
    "shop/cart/add/": ("/shop/cart/add/", extranet_row(retailer=METHOD_NOT_ALLOWED)),
    "shop/cart/checkout/": ("/shop/cart/checkout/", extranet_row(retailer=METHOD_NOT_ALLOWED)),
    "shop/orders/": ("/shop/orders/", extranet_row()),
    "shop/orders/<int:order_id>/": (order_url("/shop/orders/"), extranet_row(retailer=MISSING)),
    "shop/orders/<int:order_id>/cancel/": (
        order_url("/shop/orders/", "cancel/"),
        extranet_row(retailer=MISSING),
    ),
    "shop/orders/<int:order_id>/reorder/": (
        order_url("/shop/orders/", "reorder/"),
        extranet_row(retailer=METHOD_NOT_ALLOWED),
    ),
    "shop/profile/": ("/shop/profile/", extranet_row()),
    "shop/feedback/": ("/shop/feedback/", extranet_row()),
    "shop/feedback/new/": ("/shop/feedback/new/", extranet_row()),
    "shop/feedback/<int:feedback_id>/": (
        feedback_url("/shop/feedback/"),
        extranet_row(retailer=MISSING),
    ),
    "shop/feedback/<int:feedback_id>/rate/": (
        feedback_url("/shop/feedback/", "rate/"),
        extranet_row(retailer=METHOD_NOT_ALLOWED),
    ),
    "shop/feedback/<int:feedback_id>/photos/<int:photo_id>/": (
        feedback_url("/shop/feedback/", photo=True),
        extranet_row(retailer=MISSING),
    ),
    "shop/market/": ("/shop/market/", extranet_row()),
    "shop/knowledge/": ("/shop/knowledge/", extranet_row()),
}


def login_url(suffix):
    """A login of a retailer assigned to nobody (an account manager gets 404)."""

    def make():
        from tests.factories.people import RetailerLoginFactory

        login = RetailerLoginFactory()
        return f"/sales/retailers/{login.retailer_id}/logins/{login.user_id}/{suffix}"

    return make


INTRANET.update(
    {
        "sales/products/<int:product_id>/stock/": (
            lambda: product_url("/sales/products/")() + "stock/",
            administrator_row(),
        ),
        "sales/retailers/<int:retailer_id>/logins/": (
            retailer_url("logins/"),
            sales_staff_row(account_manager=MISSING),
        ),
        "sales/retailers/<int:retailer_id>/logins/<int:user_id>/password/": (
            login_url("password/"),
            intranet_row(employees=METHOD_NOT_ALLOWED),
        ),
        "sales/retailers/<int:retailer_id>/logins/<int:user_id>/deactivate/": (
            login_url("deactivate/"),
            sales_staff_row(account_manager=MISSING),
        ),
    }
)


def import_url():
    def make():
        from django.utils import timezone

        from extranet.models import RetailerImport

        job = RetailerImport.objects.create(
            name="r.xlsx", file="extranet/imports/r.xlsx", created_at=timezone.now()
        )
        return f"/sales/retailers/import/{job.pk}/"

    return make


INTRANET["sales/retailers/import/<int:import_id>/"] = (import_url(), administrator_row())
INTRANET["sales/lookup/<str:kind>/"] = ("/sales/lookup/retailers/?q=3301", sales_staff_row())


def visit_url(suffix=""):
    """A planned visit to a store assigned to nobody (an account manager gets 404)."""

    def make():
        from django.utils import timezone

        from extranet.models import Visit
        from tests.factories.extranet import OrderingRetailerFactory

        visit = Visit.objects.create(
            retailer=OrderingRetailerFactory(),
            planned_on=timezone.localdate(),
            created_at=timezone.now(),
        )
        return f"/sales/visits/{visit.pk}/{suffix}"

    return make


# The visit and contact log (issue 16): sales staff only; retailers never (no shop URL).
INTRANET.update(
    {
        "sales/visits/": ("/sales/visits/", sales_staff_row()),
        "sales/visits/plan/": (
            "/sales/visits/plan/",
            intranet_row(employees=METHOD_NOT_ALLOWED),
        ),
        "sales/visits/schedule/": (
            "/sales/visits/schedule/",
            intranet_row(employees=METHOD_NOT_ALLOWED),
        ),
        "sales/visits/new/": ("/sales/visits/new/", sales_staff_row()),
        "sales/visits/not-visited/": ("/sales/visits/not-visited/", sales_staff_row()),
        "sales/visits/log/": ("/sales/visits/log/", sales_staff_row()),
        "sales/visits/export/": ("/sales/visits/export/", sales_staff_row()),
        "sales/visits/<int:visit_id>/": (visit_url(), sales_staff_row(account_manager=MISSING)),
        "sales/visits/<int:visit_id>/cancel/": (
            visit_url("cancel/"),
            sales_staff_row(account_manager=MISSING),
        ),
    }
)
