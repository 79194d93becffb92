"""gunicorn's settings for both faces: `gunicorn -c python:portal.gunicorn_conf -w 4 -b …
portal.wsgi_intranet:application` (README, "Production").

The project is loaded once, in the master (`preload_app`), and warmed up there before the
workers are forked: the URL configurations (and what they import), the templates of the sign-in
page and the face's layout, the translation catalogues and the face's site are in memory pages
the workers share with the master instead of each loading its own copy, and no worker's first
request pays for loading them. The master's database and cache connections are closed before
the fork (each worker opens its own), and the objects loaded so far are frozen out of the
garbage collector so that its passes do not touch (and so copy) the shared pages.
"""

import gc
import io
import logging
import sys

preload_app = True
worker_class = "sync"

# Requests of the warm-up, answered in the master without a database write: the reference view
# (middleware, URL configuration) and the sign-in page (templates, forms, translations).
WARM_UP_PATHS = ("/healthz", "/accounts/login/")
WARM_UP_LANGUAGES = ("zh-hans", "en")

logger = logging.getLogger("portal.gunicorn")


def _request(application, path: str, host: str, language: str) -> int:
    status = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "HTTP_HOST": host,
        # As the TLS-terminating proxy forwards it: no redirect to HTTPS.
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_LANGUAGE": language,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    body = application(environ, lambda code, headers, exc_info=None: status.append(code))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]) if status else 0


def _templates_compile() -> int:
    """Compile every HTML template of the project and its apps (the cached loader keeps them)."""
    from pathlib import Path

    from django.template import engines
    from django.template.loader import get_template

    count = 0
    for engine in engines.all():
        for directory in engine.template_dirs:
            for path in Path(directory).rglob("*.html"):
                try:
                    get_template(path.relative_to(directory).as_posix())
                except Exception as error:  # a template for another engine, or a fragment
                    logger.debug("Template %s not compiled: %r", path, error)
                    continue
                count += 1
    return count


def _resolvers_populate(resolver) -> None:
    """Build the reverse tables of a URL resolver and of every resolver it includes (each
    namespace's are built on its first `reverse`, per language)."""
    from django.urls import URLResolver

    resolver.reverse_dict  # noqa: B018
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            _resolvers_populate(pattern)


def warm_up(application) -> None:
    """Answer a few requests in this process, so that what they load is loaded here: then
    compile the templates, build the URL resolvers' reverse tables and the format modules of
    each language, open the cache client and load the search's word segmentation."""
    from django.conf import settings
    from django.core.cache import cache
    from django.urls import get_resolver
    from django.utils import formats, timezone, translation

    from portal.permissions import _admin_roles, role_permissions
    from portal.search.analysis import prepare as search_prepare

    host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".").replace("*", "localhost")
    for language in WARM_UP_LANGUAGES:
        for path in WARM_UP_PATHS:
            status = _request(application, path, host, language)
            if status >= 500:
                logger.warning("Warm-up request %s answered %s.", path, status)
        with translation.override(language):
            _resolvers_populate(get_resolver(settings.PORTAL_URLCONFS[settings.PORTAL_FACE]))
            formats.date_format(timezone.now(), "DATETIME_FORMAT")
            formats.number_format(1234.5, 1, use_l10n=True)
    cache.get("portal:warm-up")
    role_permissions()
    _admin_roles()
    _templates_compile()
    # jieba's dictionary (about 90 MB) once in the master: every worker may answer a search,
    # and a copy loaded before the fork is shared instead of loaded by each worker.
    search_prepare()


def when_ready(server):
    """In the master, once the preloaded application is loaded and before the first fork."""
    from django.core.cache import caches
    from django.db import connections

    try:
        warm_up(server.app.wsgi())
    except Exception:  # a warm-up failure must not keep the site down
        logger.exception("Warm-up in the gunicorn master failed; the workers load on demand.")
    finally:
        connections.close_all()
        caches.close_all()
    gc.collect()
    gc.freeze()
