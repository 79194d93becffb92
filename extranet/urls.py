"""The retailers' pages on the extranet face."""

from django.urls import include, path

from extranet import views

app_name = "shop"

urlpatterns = [
    path("products/", views.catalogue, name="products"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/checkout/", views.checkout, name="checkout"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/cancel/", views.order_cancel_view, name="order_cancel"),
    path("orders/<int:order_id>/reorder/", views.order_reorder, name="order_reorder"),
    path("profile/", views.profile, name="profile"),
    path("surveys/", include("extranet.surveys.urls")),
    path("feedback/", views.feedback_list, name="feedback"),
    path("feedback/new/", views.feedback_new, name="feedback_new"),
    path("feedback/<int:feedback_id>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:feedback_id>/rate/", views.feedback_rate_view, name="feedback_rate"),
    path(
        "feedback/<int:feedback_id>/photos/<int:photo_id>/",
        views.feedback_photo,
        name="feedback_photo",
    ),
    path("market/", include("extranet.market.urls")),
    path("knowledge/", include("knowledge.urls_extranet")),
]
