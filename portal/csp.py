"""The Content-Security-Policy header (django-csp) of every HTML page of both faces.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts, styles, fonts and frames from the
portal itself only: no inline script, no event-handler attribute, no style attribute or block.
Templates keep JavaScript and CSS in static files and hand data to scripts with `json_script`
or data- attributes.

Wagtail's admin (/admin/) cannot live with that: its panels and date widgets carry inline
scripts, its editors set style attributes, and its preview frames its own pages. Under /admin/
the policy therefore also allows inline script and style and framing by the portal itself; the
admin is on the intranet only, for signed-in editors (README, "Security").
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

ADMIN_PREFIX = "/admin/"
ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}


# What a view or decorator may set on a response to change its policy (django-csp's names).
_PER_RESPONSE = frozenset(
    (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )
)


def _settings_policies() -> tuple[str, str]:
    """The header and report-only header that the settings alone give, built once for each
    pair of policy settings (a test's `override_settings` brings new ones)."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    cached = _settings_policies.cached
    if cached is None or cached[0] is not policy or cached[1] is not report_only:
        built = (build_policy(), build_policy(report_only=True))
        cached = _settings_policies.cached = (policy, report_only, built)
    return cached[2]


_settings_policies.cached = None


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, on HTML responses, with the admin's relaxations under /admin/.

    Nearly every page's policy is the settings' own: no nonce asked for, no decorator, not the
    admin. django-csp builds it anew for each response (two dataclass copies and two builds,
    about a tenth of a simple signed-in request's CPU); such a response here gets the headers
    built once from the settings. Anything else goes django-csp's way."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if not self._settings_only(request, response):
            return super().process_response(request, response)
        header, header_report_only = _settings_policies()
        if header and HEADER not in response:
            response[HEADER] = header
        if header_report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = header_report_only
        # As django-csp: asking for a nonce once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _settings_only(request, response) -> bool:
        if settings.DEBUG or getattr(request, "_csp_nonce", None) is not None:
            return False
        if request.path_info.startswith(ADMIN_PREFIX):
            return False
        if not _PER_RESPONSE.isdisjoint(vars(response)):
            return False
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
            prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if prefixes:
                return False
        return True

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**ADMIN_REPLACE, **(parts.replace or {})}
        return parts
