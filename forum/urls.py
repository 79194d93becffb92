from django.urls import path

from portal.views import coming_soon

app_name = "forum"

urlpatterns = [
    path("", coming_soon, {"module": "forum"}, name="index"),
]
