"""Who acts in the current request, for records written where no request is at hand.

Signal receivers (role grants made by any view, command or third-party admin) ask
`current_actor()`; `ActorMiddleware` sets it for each request. In management commands and in
the task worker nobody is set: the change is the system's.
"""

import contextvars
from contextlib import contextmanager

_actor: contextvars.ContextVar = contextvars.ContextVar("portal_actor", default=None)


def current_actor():
    """The signed-in user of the current request, or None (the system)."""
    user = _actor.get()
    if user is None or not user.is_authenticated:
        return None
    return user


@contextmanager
def acting_as(user):
    """Run a block as `user` (tests, and services that act for someone outside a request)."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


class ActorMiddleware:
    """Makes the request's user the actor of everything the request changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request.user):
            return self.get_response(request)
