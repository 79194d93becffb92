from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
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
