"""WSGI entry point of the intranet face: `gunicorn portal.wsgi_intranet:application`."""

import os

os.environ["PORTAL_FACE"] = "intranet"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
