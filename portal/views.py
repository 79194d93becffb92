from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and the benchmark's reference: no database, no session, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return redirect(static("portal/favicon.ico"))


@login_not_required
def admin_login(request):
    """Wagtail admin's sign-in goes through allauth's, which enforces the face of the account
    (a signed-in user without admin access never gets here: see portal.admin_access)."""
    next_url = request.GET.get("next") or reverse("wagtailadmin_home")
    return redirect_to_login(next_url, login_url=reverse("account_login"))


def not_found(request):
    raise Http404


@login_not_required
def bad_request(request, exception):
    """The face's own 400 page. Django's default renders 400.html without the request, so the
    page would lose the face's layout, navigation and language switch."""
    page = loader.get_template("400.html").render({"exception": exception}, request)
    return HttpResponseBadRequest(page)
