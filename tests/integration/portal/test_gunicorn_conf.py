"""gunicorn's configuration (portal/gunicorn_conf.py): the master loads and warms up what every
worker needs before forking them."""

import gc

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

from portal import gunicorn_conf

pytestmark = pytest.mark.django_db


def test_the_project_is_preloaded_in_the_master():
    assert gunicorn_conf.preload_app is True


def test_the_warm_up_answers_its_requests(intranet):
    application = WSGIHandler()
    for path in gunicorn_conf.WARM_UP_PATHS:
        assert gunicorn_conf._request(application, path, "localhost", "en") == 200


def test_the_warm_up_compiles_the_templates_and_builds_the_reverse_tables(intranet):
    resolver = get_resolver(intranet.ROOT_URLCONF)
    resolver._reverse_dict.clear()
    gunicorn_conf.warm_up(WSGIHandler())
    for language in gunicorn_conf.WARM_UP_LANGUAGES:
        with translation.override(language):
            assert translation.get_language() in resolver._reverse_dict
    loader = engines["django"].engine.template_loaders[0]
    if hasattr(loader, "get_template_cache"):  # the cached loader (not with DEBUG)
        assert "intranet/base.html" in loader.get_template_cache


def test_the_warm_up_loads_the_word_segmentation_before_the_fork(intranet, monkeypatch):
    from portal.search import analysis

    monkeypatch.setattr(analysis, "_jieba", None)
    gunicorn_conf.warm_up(WSGIHandler())
    assert analysis._jieba is not None


def test_when_ready_closes_the_connections_and_freezes_the_loaded_objects(monkeypatch):
    closed = []
    monkeypatch.setattr(gunicorn_conf, "warm_up", lambda application: None)
    monkeypatch.setattr("django.db.connections.close_all", lambda: closed.append("db"))

    class Server:
        class app:  # noqa: N801 (gunicorn's attribute)
            @staticmethod
            def wsgi():
                return None

    try:
        gunicorn_conf.when_ready(Server)
        assert closed == ["db"]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
