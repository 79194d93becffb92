"""The sales company's staff pages on the intranet face (product and inventory inquiry,
retailers, orders, picking lists, feedback)."""

from django.urls import include, path

from extranet.desk.views import (
    feedback,
    feedback_reports,
    home,
    imports,
    logins,
    orders,
    products,
    retailers,
    visits,
)

app_name = "sales"

urlpatterns = [
    path("", home.index, name="index"),
    path("products/", products.products, name="products"),
    path("products/<int:product_id>/", products.product, name="product"),
    path("products/<int:product_id>/stock/", products.stock_adjust_view, name="stock_adjust"),
    path("retailers/", retailers.retailers, name="retailers"),
    path("retailers/top/", retailers.top_retailers, name="top"),
    path("retailers/import/", imports.retailers_import_view, name="import"),
    path(
        "retailers/import/template/",
        imports.retailers_import_template,
        name="import_template",
    ),
    path(
        "retailers/import/<int:import_id>/",
        imports.retailers_import_status,
        name="import_status",
    ),
    path("retailers/grades/", retailers.grades_recompute, name="grades_recompute"),
    path("retailers/<int:retailer_id>/", retailers.retailer, name="retailer"),
    path(
        "retailers/<int:retailer_id>/edit/<str:group>/",
        retailers.retailer_edit,
        name="retailer_edit",
    ),
    path("retailers/<int:retailer_id>/logins/", logins.retailer_logins, name="logins"),
    path(
        "retailers/<int:retailer_id>/logins/<int:user_id>/password/",
        logins.retailer_login_password,
        name="login_password",
    ),
    path(
        "retailers/<int:retailer_id>/logins/<int:user_id>/deactivate/",
        logins.retailer_login_deactivate_view,
        name="login_deactivate",
    ),
    path("visits/", visits.week, name="visits"),
    path("visits/plan/", visits.plan_week, name="visits_plan_week"),
    path("visits/schedule/", visits.schedule, name="visit_schedule"),
    path("visits/new/", visits.record_new, name="visit_new"),
    path("visits/not-visited/", visits.not_visited, name="visits_not_visited"),
    path("visits/log/", visits.log, name="visits_log"),
    path("visits/export/", visits.export, name="visits_export"),
    path("visits/<int:visit_id>/", visits.visit, name="visit"),
    path("visits/<int:visit_id>/cancel/", visits.cancel, name="visit_cancel"),
    path("lookup/<str:kind>/", retailers.lookup, name="lookup"),
    path("orders/", orders.orders, name="orders"),
    path("orders/advance/", orders.orders_advance_view, name="orders_advance"),
    path("orders/picking/", orders.picking, name="picking"),
    path("orders/<int:order_id>/", orders.order, name="order"),
    path("feedback/", feedback.feedback_list, name="feedback"),
    path("feedback/export/", feedback_reports.feedback_export, name="feedback_export"),
    path("feedback/effective/", feedback_reports.feedback_effective, name="feedback_effective"),
    path("feedback/<int:feedback_id>/", feedback.feedback_item, name="feedback_item"),
    path(
        "feedback/<int:feedback_id>/photos/<int:photo_id>/",
        feedback.feedback_photo,
        name="feedback_photo",
    ),
    path(
        "feedback/<int:feedback_id>/<str:action>/",
        feedback.feedback_action,
        name="feedback_action",
    ),
    path("", include("extranet.market.urls_staff")),
    path("surveys/", include("extranet.surveys.urls_staff")),
]
