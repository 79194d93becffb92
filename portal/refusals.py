"""One way for a service to say no, and one way to show it.

A service that refuses a request because it breaks a rule raises a `Refusal` (or a subclass
that adds the details its callers need, such as `OrderRefused.reason`): the message is written
for the user, the status is the HTTP answer a view gives. A view that re-shows its form calls
`refusal_response`; a refusal that no view catches is answered by `RefusalMiddleware` with the
face's layout and the same status, never a 500.
"""

from django.shortcuts import render


class Refusal(Exception):
    """A request refused by a rule: `message` for the user, `status` for the HTTP answer."""

    status = 400

    def __init__(self, message="", *, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self):
        return str(self.message)


def refusal_response(request, refusal: Refusal, template: str, context: dict | None = None):
    """Render `template` with the refusal's message as `error`, answered with its status."""
    context = {**(context or {}), "error": refusal.message}
    return render(request, template, context, status=refusal.status)


class RefusalMiddleware:
    """Answers a refusal that reached no `except` with a page of its message and status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refusal):
            return refusal_response(request, exception, "portal/refusal.html")
        return None
