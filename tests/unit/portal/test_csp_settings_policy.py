"""The policy headers built once from the settings (portal/csp.py) are the ones django-csp
builds for each response, and every response that changes the policy still goes its way."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from portal.csp import PortalCSPMiddleware


def answer(path="/knowledge/", *, use_nonce=False, content_type="text/html", **attributes):
    """The CSP headers django-csp's own middleware and the portal's give the same response."""
    results = []
    for middleware_class in (CSPMiddleware, PortalCSPMiddleware):
        request = RequestFactory().get(path)

        def view(request):
            response = HttpResponse("<p>page</p>", content_type=content_type)
            if use_nonce:
                str(request.csp_nonce)
            for name, value in attributes.items():
                setattr(response, name, value)
            return response

        middleware = middleware_class(view)
        response = middleware(request)
        results.append(
            (response.get(HEADER), response.get(HEADER_REPORT_ONLY), request),
        )
    return results


def test_a_plain_page_gets_the_settings_policy():
    (theirs, theirs_ro, _), (ours, ours_ro, request) = answer()
    assert ours == theirs
    assert "default-src 'self'" in ours and "frame-ancestors 'none'" in ours
    assert ours_ro is None and theirs_ro is None
    # As django-csp: a nonce asked for once the header is written is an error.
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_page_that_uses_a_nonce_gets_it_in_its_header():
    (_, _, _), (ours, _, request) = answer(use_nonce=True)
    assert f"'nonce-{request._csp_nonce}'" in ours


def test_the_admin_keeps_its_relaxations():
    (_, _, _), (ours, _, _) = answer("/admin/pages/")
    assert "'unsafe-inline'" in ours and "frame-ancestors 'self'" in ours


def test_a_response_that_changes_its_policy_keeps_the_change():
    update = {"img-src": ["https://maps.example"]}
    (theirs, _, _), (ours, _, _) = answer(_csp_update=update)
    assert ours == theirs and "https://maps.example" in ours
    (theirs, _, _), (ours, _, _) = answer(_csp_exempt=True)
    assert ours is None and theirs is None


def test_other_settings_give_other_headers():
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://cdn"]}}
    report_only = {"DIRECTIVES": {"default-src": ["'none'"], "style-src": ["'self'", NONCE]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only
    ):
        (theirs, theirs_ro, _), (ours, ours_ro, _) = answer()
        assert (ours, ours_ro) == (theirs, theirs_ro)
        assert "https://cdn" in ours
        assert set(ours_ro.split("; ")) == {"default-src 'none'", "style-src 'self'"}
    (_, _, _), (ours, ours_ro, _) = answer()
    assert "https://cdn" not in ours and ours_ro is None


def test_files_and_feeds_get_no_policy():
    (_, _, _), (ours, _, _) = answer(content_type="application/pdf")
    assert ours is None


def test_the_settings_policy_is_built_once(monkeypatch):
    import portal.csp

    built = []
    real = portal.csp.build_policy

    def counting(*args, **kwargs):
        built.append(kwargs.get("report_only", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(portal.csp, "build_policy", counting)
    monkeypatch.setattr(portal.csp._settings_policies, "cached", None)
    for _page in range(5):
        answer()
    assert sorted(built) == [False, True]
