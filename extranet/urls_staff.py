"""The sales company's staff pages on the intranet face (product and inventory inquiry,
retailers, orders, picking lists)."""

from django.urls import include, path

from extranet import views_staff as views

app_name = "sales"

urlpatterns = [
    path("", views.index, name="index"),
    path("products/", views.products, name="products"),
    path("products/<int:product_id>/", views.product, name="product"),
    path("products/<int:product_id>/stock/", views.stock_adjust_view, name="stock_adjust"),
    path("retailers/", views.retailers, name="retailers"),
    path("retailers/top/", views.top_retailers, name="top"),
    path("retailers/import/", views.retailers_import_view, name="import"),
    path(
        "retailers/import/<int:import_id>/",
        views.retailers_import_status,
        name="import_status",
    ),
    path("retailers/grades/", views.grades_recompute, name="grades_recompute"),
    path("retailers/<int:retailer_id>/", views.retailer, name="retailer"),
    path(
        "retailers/<int:retailer_id>/edit/<str:group>/",
        views.retailer_edit,
        name="retailer_edit",
    ),
    path("retailers/<int:retailer_id>/logins/", views.retailer_logins, name="logins"),
    path(
        "retailers/<int:retailer_id>/logins/<int:user_id>/password/",
        views.retailer_login_password,
        name="login_password",
    ),
    path(
        "retailers/<int:retailer_id>/logins/<int:user_id>/deactivate/",
        views.retailer_login_deactivate_view,
        name="login_deactivate",
    ),
    path("lookup/<str:kind>/", views.lookup, name="lookup"),
    path("orders/", views.orders, name="orders"),
    path("orders/advance/", views.orders_advance_view, name="orders_advance"),
    path("orders/picking/", views.picking, name="picking"),
    path("orders/<int:order_id>/", views.order, name="order"),
    path("feedback/", views.feedback_list, name="feedback"),
    path("feedback/<int:feedback_id>/", views.feedback_item, name="feedback_item"),
    path(
        "feedback/<int:feedback_id>/photos/<int:photo_id>/",
        views.feedback_photo,
        name="feedback_photo",
    ),
    path(
        "feedback/<int:feedback_id>/<str:action>/",
        views.feedback_action,
        name="feedback_action",
    ),
    path("", include("extranet.market.urls_staff")),
    path("surveys/", include("extranet.surveys.urls_staff")),
]
