"""jieba's dictionary (about 90 MB) is loaded by the processes that cut text, when they first
do, not by every process that imports the URL configurations."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[4]

PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver, resolve
for urlconf in ("portal.urls_intranet", "portal.urls_extranet"):
    get_resolver(urlconf).url_patterns
resolve("/search/", urlconf="portal.urls_intranet")
from haystack import connections
connections["default"].get_unified_index().get_indexes()
def loaded():
    jieba = sys.modules.get("jieba")
    return bool(jieba is not None and jieba.dt.initialized)
before = loaded()
from portal.search.analysis import index_words
words = [w for w, _s, _e in index_words("检测烟叶含水率")]
print(json.dumps({"before": before, "after": loaded(), "words": words}))
"""


@pytest.fixture(scope="module")
def probe():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_importing_the_url_configurations_leaves_the_dictionary_unloaded(probe):
    assert probe["before"] is False


def test_the_first_cut_loads_the_dictionary_with_the_domain_words(probe):
    assert probe["after"] is True
    assert "烟叶含水率" in probe["words"]
