from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.csrf_token import page_csrf_token
from portal.modules import MODULES_BY_FACE
from portal.permissions import may_use_admin


def face(request):
    """The face's layout and navigation for every template."""
    current = getattr(request, "face", settings.PORTAL_FACE)
    return {
        "face": current,
        "face_base": f"{current}/base.html",
        "nav_modules": MODULES_BY_FACE[current],
        "may_administer": SimpleLazyObject(lambda: may_use_admin(request.user)),
    }


def csrf(request):
    """`csrf_token` for templates: the page's one token (`portal.csrf_token`), made when a
    template first uses it. Listed after Django's built-in processor, whose value it replaces."""
    return {"csrf_token": SimpleLazyObject(lambda: page_csrf_token(request))}
