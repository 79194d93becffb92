"""Settings for the test suite: fast hashing, isolated search index and mail, strict templates."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import HAYSTACK_CONNECTIONS, SEARCH_URL, TEMPLATES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by a test (tests/integration/notices/test_notice_worker_killed.py)
# sends through a real SMTP server on loopback: it sets TEST_EMAIL_BACKEND and EMAIL_HOST/PORT.
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TEST_TMP_DIR = Path(tempfile.mkdtemp(prefix="portal-test-"))
MEDIA_ROOT = TEST_TMP_DIR / "media"
if not SEARCH_URL.startswith("http"):
    for alias, connection in HAYSTACK_CONNECTIONS.items():
        connection["PATH"] = str(TEST_TMP_DIR / "search" / alias)
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = ""
# Rate limits are exercised by their own tests, which set them explicitly.
# allauth adds its defaults to this dict, among them "login": "30/m/ip": a test worker signs in
# far more often than that from 127.0.0.1 (browser tests failed with 429 after busy minutes).
ACCOUNT_RATE_LIMITS = {"login": "100000/m/ip", "login_failed": "1000/m/ip"}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
