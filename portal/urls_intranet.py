"""URLs of the intranet face (employees, on the company LAN)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls

from portal.file_access import rendition_file
from portal.views import admin_login, favicon, healthz, not_found

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("portal.urls_accounts")),
    # Two-factor set-up and codes: only staff roles need them, so only the intranet routes them.
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Wagtail admin signs people in through allauth (where the face check lives), and its
    # deliberate error-test page has no place in production.
    path("admin/login/", admin_login, name="wagtailadmin_login"),
    path("admin/failwhale/", not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("files/", include("portal.urls_documents")),
    path("image-files/<path:name>", rendition_file, name="image_rendition"),
    path("search/", include("portal.search.urls")),
    path("directory/", include("portal.directory.urls")),
    path("notices/", include("portal.notices.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("forum/", include("forum.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("documents/", include("documents.urls")),
    path("sales/", include("extranet.desk.urls")),
    # An article's address (the knowledge index page's slug is "articles"): found in one query.
    path("", include("knowledge.urls_articles")),
    path("", include("portal.urls_pages")),
]

# Django's default 400 view renders its template without the request (so without the face).
handler400 = "portal.views.bad_request"
