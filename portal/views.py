from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from portal.modules import MODULES_BY_FACE


def coming_soon(request, module):
    """An honest placeholder for a module whose issue has not landed yet."""
    current = next(m for m in MODULES_BY_FACE[request.face] if m.key == module)
    return render(request, "portal/coming_soon.html", {"module": current, "active_module": module})


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and the benchmark's reference: no database, no session, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_not_required
def admin_login(request):
    """Wagtail admin's sign-in goes through allauth's, which enforces the face of the account."""
    next_url = request.GET.get("next") or reverse("wagtailadmin_home")
    return redirect_to_login(next_url, login_url=reverse("account_login"))


def not_found(request):
    raise Http404
