"""URLs of the intranet face (employees, on the company LAN)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.views import coming_soon, healthz

directory_patterns = ([path("", coming_soon, {"module": "directory"}, name="index")], "directory")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("portal.urls_accounts")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("files/", include(wagtaildocs_urls)),
    path("search/", include("portal.search.urls")),
    path("directory/", include(directory_patterns)),
    path("bulletins/", include("bulletins.urls")),
    path("forum/", include("forum.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("documents/", include("documents.urls")),
    path("sales/", include("extranet.urls_staff")),
    path("", include(wagtail_urls)),
]
