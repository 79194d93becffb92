from django.urls import path

from portal.views import coming_soon

app_name = "documents"

urlpatterns = [
    path("", coming_soon, {"module": "documents"}, name="index"),
]
