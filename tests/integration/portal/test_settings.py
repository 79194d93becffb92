"""Deployment settings: production passes Django's deployment checks; each WSGI entry point
serves its own face."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20,
    "ALLOWED_HOSTS": "portal.factory.example.com",
}


def run(args, **env):
    # A clean process: none of the test run's own variables (face, async-unsafe flag).
    environment = {**os.environ, **env}
    for name in ("PORTAL_FACE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check():
    result = run(["-m", "portal", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_embedded_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "insecure-embedded-default-change-me"}
    result = run(["-c", "import django; django.setup()"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_each_wsgi_entry_point_serves_its_own_face():
    code = (
        "import portal.wsgi_{face}; from django.conf import settings; "
        "print(settings.PORTAL_FACE, settings.ROOT_URLCONF, settings.SESSION_COOKIE_NAME)"
    )
    for face in ("intranet", "extranet"):
        result = run(["-c", code.format(face=face)], **PRODUCTION_ENV)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [face, f"portal.urls_{face}", f"{face}_sessionid"]


def test_database_url_selects_postgresql():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    result = run(
        ["-c", code],
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL="postgres://portal@db.example.com:5432/portal",
    )
    assert result.stdout.strip() == "portal.postgresql", result.stderr


def test_production_collects_the_static_files(tmp_path):
    # The production storage hashes every file and rewrites the references between them; a
    # vendored script that names a file which is not there (a source map, say) stops it.
    result = run(
        ["-m", "portal", "collectstatic", "--noinput"],
        PORTAL_VAR_DIR=str(tmp_path),
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "portal/vendor/trix/trix.umd.min.js" in manifest
    assert "extranet/vendor/chartjs/chart.umd.min.js" in manifest
