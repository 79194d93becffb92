"""Settings for timing stock wagtail/bakerydemo (see README.md): its base settings with DEBUG
off, any host, no debug toolbar, its default SQLite database and its default cache (Django's
local-memory cache, as its base settings give), plus one trivial view as the reference."""

from bakerydemo.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECRET_KEY = "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ROOT_URLCONF = "urls"
WAGTAILADMIN_BASE_URL = "http://localhost:8000"
