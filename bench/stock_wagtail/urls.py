"""bakerydemo's URLconf with one trivial view in front: the reference, as our `/healthz`."""

from bakerydemo.urls import urlpatterns as stock
from django.http import HttpResponse
from django.urls import path


def ok(request):
    return HttpResponse(b"ok")


urlpatterns = [path("__ok__/", ok), *stock]
