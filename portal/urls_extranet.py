"""URLs of the extranet face (licensed retailers, on the internet).

No intranet URL exists here: no admin, no directory, no forum, no documents.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from portal.file_access import rendition_file
from portal.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("portal.urls_accounts")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("image-files/<path:name>", rendition_file, name="image_rendition"),
    path("search/", include("portal.search.urls")),
    path("shop/", include("extranet.shop.urls")),
    # An article's address (the knowledge index page's slug is "articles"): found in one query.
    path("", include("knowledge.urls_articles")),
    path("", include("portal.urls_pages")),
]

# Django's default 400 view renders its template without the request (so without the face).
handler400 = "portal.views.bad_request"
