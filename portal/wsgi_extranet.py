"""WSGI entry point of the extranet face: `gunicorn portal.wsgi_extranet:application`."""

import os

os.environ["PORTAL_FACE"] = "extranet"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
