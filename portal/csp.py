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

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

ADMIN_PREFIX = "/admin/"
ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, on HTML responses, with the admin's relaxations under /admin/."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**ADMIN_REPLACE, **(parts.replace or {})}
        return parts
