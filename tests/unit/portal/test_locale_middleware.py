"""The portal's LocaleMiddleware: Django's behaviour, without reading the path when no URL
pattern carries a language prefix."""

from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.utils import translation

from portal.middleware import LocaleMiddleware

PREFIXED = "tests.unit.portal.i18n_prefixed_urls"


def the_language(request):
    return HttpResponse(translation.get_language())


def serve(path, urlconf, view=the_language, **headers):
    request = RequestFactory().get(path, **headers)
    request.urlconf = urlconf
    with translation.override(None):
        response = LocaleMiddleware(view)(request)
    return request, response


def test_the_cookie_decides_the_language_and_the_headers_are_djangos(settings):
    request, response = serve(
        "/zh-hans/not-a-prefix/",
        "portal.urls_intranet",
        HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=zh-hans",
    )
    assert response.content == b"zh-hans" and request.LANGUAGE_CODE == "zh-hans"
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" in response["Vary"]


def test_accept_language_decides_without_a_cookie():
    request, response = serve("/", "portal.urls_intranet", HTTP_ACCEPT_LANGUAGE="en")
    assert response.content == b"en" and response["Content-Language"] == "en"
    request, response = serve("/", "portal.urls_intranet", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.content == b"zh-hans"


def test_the_path_is_not_read_without_prefixed_patterns(monkeypatch):
    reads = []
    real = translation.get_language_from_path
    monkeypatch.setattr(translation, "get_language_from_path", lambda p: reads.append(p) or real(p))
    serve("/en/", "portal.urls_intranet", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert reads == []
    serve("/en/language/", PREFIXED)
    assert reads  # Django's own middleware reads it where prefixes are used


def test_prefixed_patterns_keep_djangos_behaviour():
    request, response = serve("/zh-hans/language/", PREFIXED, HTTP_ACCEPT_LANGUAGE="en")
    assert response.content == b"zh-hans"
    # A path without its prefix is redirected to the prefixed one, as Django does.
    request, response = serve(
        "/language/", PREFIXED, view=lambda r: HttpResponseNotFound(), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302 and response["Location"] == "/en/language/"
