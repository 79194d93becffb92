from django.urls import path

from portal.views import coming_soon

app_name = "bulletins"

urlpatterns = [
    path("", coming_soon, {"module": "bulletins"}, name="index"),
]
