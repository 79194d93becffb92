"""The retailers' pages on the extranet face."""

from django.urls import path

from portal.views import coming_soon

app_name = "shop"

urlpatterns = [
    path("products/", coming_soon, {"module": "products"}, name="products"),
    path("orders/", coming_soon, {"module": "orders"}, name="orders"),
    path("surveys/", coming_soon, {"module": "surveys"}, name="surveys"),
    path("feedback/", coming_soon, {"module": "feedback"}, name="feedback"),
    path("market/", coming_soon, {"module": "market"}, name="market"),
    path("knowledge/", coming_soon, {"module": "knowledge"}, name="knowledge"),
]
