from django.urls import path

from portal.views import coming_soon

app_name = "knowledge"

urlpatterns = [
    path("", coming_soon, {"module": "knowledge"}, name="index"),
]
