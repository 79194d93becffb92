"""The sales company's staff pages on the intranet face (product and inventory inquiry,
retailers, market analysis)."""

from django.urls import path

from portal.views import coming_soon

app_name = "sales"

urlpatterns = [
    path("", coming_soon, {"module": "sales"}, name="index"),
]
