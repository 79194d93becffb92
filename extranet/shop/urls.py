"""The retailers' pages on the extranet face."""

from django.urls import include, path

from extranet.shop.views import feedback, ordering

app_name = "shop"

urlpatterns = [
    path("products/", ordering.catalogue, name="products"),
    path("products/<int:product_id>/", ordering.product_detail, name="product"),
    path("cart/", ordering.cart, name="cart"),
    path("cart/add/", ordering.cart_add, name="cart_add"),
    path("cart/checkout/", ordering.checkout, name="checkout"),
    path("orders/", ordering.orders, name="orders"),
    path("orders/<int:order_id>/", ordering.order_detail, name="order"),
    path("orders/<int:order_id>/cancel/", ordering.order_cancel_view, name="order_cancel"),
    path("orders/<int:order_id>/reorder/", ordering.order_reorder, name="order_reorder"),
    path("profile/", ordering.profile, name="profile"),
    path("surveys/", include("extranet.surveys.urls")),
    path("feedback/", feedback.feedback_list, name="feedback"),
    path("feedback/new/", feedback.feedback_new, name="feedback_new"),
    path("feedback/<int:feedback_id>/", feedback.feedback_detail, name="feedback_detail"),
    path("feedback/<int:feedback_id>/rate/", feedback.feedback_rate_view, name="feedback_rate"),
    path(
        "feedback/<int:feedback_id>/photos/<int:photo_id>/",
        feedback.feedback_photo,
        name="feedback_photo",
    ),
    path("market/", include("extranet.market.urls")),
    path("knowledge/", include("knowledge.urls_extranet")),
]
