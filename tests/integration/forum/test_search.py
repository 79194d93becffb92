"""Forum posts in the project's search: found by their words, shown by pseudonym, and left out
when hidden or on a board the reader may not see."""

import re

import pytest
from django.conf import settings

from forum.services import moderation, posting
from portal.search import services as search_services
from tests.factories.forum import BoardFactory
from tests.integration.portal.search.conftest import clear_indexes
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_indexes(db):
    search_services._changed.__dict__.clear()
    clear_indexes()
    yield
    clear_indexes()


def search(client, user, query):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    html = client.get("/search/", {"q": query, "kind": "forum"}).content.decode()
    listing = re.search(r'<ol class="search-results".*?</ol>', html, re.S)
    return re.sub(r"</?mark>", "", listing.group()) if listing else ""


def test_posts_are_found_by_pseudonym_and_hidden_ones_are_not(
    client, board, alice, bob, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(
            board=board,
            title="Boiler room",
            body="The boiler whistles at night",
            author=alice.pseudonym,
        )
        bad = posting.post_reply(author=bob.pseudonym, topic=topic, body="boiler is a scam")
    run_worker("search")
    found = search(client, bob, "boiler")
    assert "Boiler room" in found and "CalmOtter101" in found
    assert alice.employee.name not in found and alice.username not in found
    assert "scam" in found
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post_hide(moderator=moderator, post=bad, reason="Rude")
    # Even before the index catches up, the database's answer keeps it out.
    assert "scam" not in search(client, bob, "boiler")
    run_worker("search")
    assert "scam" not in search(client, bob, "boiler")


def test_posts_on_a_department_board_are_not_found_by_others(
    client, alice, bob, django_capture_on_commit_callbacks
):
    board = BoardFactory(department=alice.employee.department)
    with django_capture_on_commit_callbacks(execute=True):
        posting.topic_create(
            board=board, title="Secret plan", body="forklift schedule", author=alice.pseudonym
        )
    run_worker("search")
    assert "forklift" in search(client, alice, "forklift")
    assert search(client, bob, "forklift") == ""
