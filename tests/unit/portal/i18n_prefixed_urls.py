"""A URL configuration with `i18n_patterns`, for tests/unit/portal/test_locale_middleware.py."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path
from django.utils import translation


def language(request):
    return HttpResponse(translation.get_language())


urlpatterns = i18n_patterns(path("language/", language), prefix_default_language=True)
