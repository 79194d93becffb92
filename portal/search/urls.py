from django.http import HttpResponse
from django.urls import path


def search(request):
    return HttpResponse("search")


urlpatterns = [path("", search, name="search")]
