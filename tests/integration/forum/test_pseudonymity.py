"""Pseudonyms are unique and chosen once; the link to a person is kept out of the post tables
and out of every admin listing; identity auditors can trace a post on any board."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from forum.models import (
    Board,
    Identity,
    IdentityReveal,
    Notification,
    Post,
    PostRevision,
    Pseudonym,
    RenameRequest,
    Report,
    Subscription,
    Topic,
    TopicRead,
)
from forum.services import moderation, posting, pseudonyms, reading
from portal.refusals import Refusal
from tests.conftest import make_role_user, sign_in
from tests.factories.forum import BoardFactory, pseudonym_for
from tests.factories.people import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in the source language."""
    with translation.override("en"):
        yield


def test_a_pseudonym_is_chosen_once(alice):
    with pytest.raises(Refusal, match="already have a pseudonym"):
        pseudonyms.pseudonym_choose(user=alice, name="KeenPanda555", offered=["KeenPanda555"])
    assert not Pseudonym.objects.filter(name="KeenPanda555").exists()
    assert Identity.objects.filter(user=alice).count() == 1


def test_pseudonyms_are_unique_whatever_their_case(alice, employee):
    with pytest.raises(Refusal, match="just taken"):
        pseudonyms.pseudonym_choose(user=employee, name="calmotter101", offered=["calmotter101"])
    assert not Identity.objects.filter(user=employee).exists()
    # The database refuses it too, not only the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Pseudonym.objects.create(name="CALMOTTER101")


def test_a_rename_to_a_taken_name_is_refused(alice, bob, role_users):
    pseudonyms.pseudonym_rename_request(pseudonym=alice.pseudonym)
    with pytest.raises(Refusal, match="taken"):
        pseudonyms.pseudonym_rename(
            actor=role_users["superuser"], pseudonym=alice.pseudonym, new_name="bravecrane202"
        )
    alice.pseudonym.refresh_from_db()
    assert alice.pseudonym.name == "CalmOtter101" and alice.pseudonym.renamed_at is None


def test_only_an_administrator_renames(alice, moderator):
    pseudonyms.pseudonym_rename_request(pseudonym=alice.pseudonym)
    with pytest.raises(Refusal) as refused:
        pseudonyms.pseudonym_rename(actor=moderator, pseudonym=alice.pseudonym, new_name="New1")
    assert refused.value.status == 403
    assert RenameRequest.objects.get().resolved_at is None


# Where a person may be named: the identity link itself, the auditors' reveal record, and the
# reader's own read marks (reading is not authorship). Nothing an author leaves behind.
USER_LINKED = {Identity, IdentityReveal, TopicRead}
AUTHORED = [Board, Topic, Post, PostRevision, Pseudonym, Subscription, Notification, Report]


def test_only_the_identity_table_links_pseudonyms_to_people():
    user_model = get_user_model()
    from django.apps import apps

    linked = {
        model
        for model in apps.get_app_config("forum").get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.related_model is user_model and field.concrete
    }
    assert linked == USER_LINKED
    # The link row is keyed on its own, not by the user's or the pseudonym's number.
    assert Identity._meta.pk.get_internal_type() == "UUIDField"


def test_a_dump_of_the_post_tables_names_nobody(
    board, alice, bob, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(
            board=board, title="Dump", body="Hi @BraveCrane202", author=alice.pseudonym
        )
        reply = posting.post_reply(author=bob.pseudonym, topic=topic, body="Hello")
        posting.post_edit(author=bob.pseudonym, post=reply, body="Hello again")
        moderation.report_create(reporter=alice.pseudonym, post=reply, reason="Rude")
        reading.subscription_toggle(pseudonym=bob.pseudonym, board=board)
    from tests.worker import run_worker

    run_worker()
    assert Notification.objects.exists() and PostRevision.objects.exists()
    dump = serializers.serialize("json", [row for model in AUTHORED for row in model.objects.all()])
    rows = json.loads(dump)
    for person in (alice, bob):
        for text in (person.username, person.email, person.employee.name):
            assert text not in dump
    user_fields = {"user", "author_user", "revealed_user", "auditor", "reporter_user"}
    assert not any(user_fields & set(row["fields"]) for row in rows)
    authors = {row["fields"]["author"] for row in rows if row["model"] == "forum.post"}
    assert authors == {alice.pseudonym.pk, bob.pseudonym.pk}


def test_no_admin_lists_pseudonyms_or_their_people():
    from django.contrib import admin
    from django.urls import get_resolver
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.models import get_snippet_models

    assert get_resolver().url_patterns  # loading the admin's URLs registers its viewsets
    hidden = {Pseudonym, Identity, IdentityReveal, RenameRequest, Notification, Subscription}
    assert not hidden & set(admin.site._registry)
    assert not hidden & set(get_snippet_models())
    admin_models = {getattr(viewset, "model", None) for viewset in viewsets.viewsets}
    assert Board in admin_models
    assert not hidden & admin_models


def test_the_wagtail_admin_board_list_shows_no_pseudonym(client, board, alice, role_users):
    posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
    client.force_login(role_users["superuser"])
    page = client.get("/admin/forum_boards/")
    assert page.status_code == 200 and board.name in page.content.decode()
    assert "CalmOtter101" not in page.content.decode()
    assert alice.employee.name not in page.content.decode()


def test_an_identity_auditor_can_trace_a_post_on_a_board_they_cannot_read(
    client, django_capture_on_commit_callbacks
):
    quality = DepartmentFactory(code="quality")
    board = BoardFactory(department=quality, slug="quality-only")
    writer = EmployeeFactory(department=quality)
    pseudonym = pseudonym_for(writer.user, "HiddenKite707")
    topic = posting.topic_create(board=board, title="T", body="threat", author=pseudonym)
    auditor = make_role_user("identity_auditor")
    sign_in(client, auditor)
    # Reading the board stays closed to them...
    assert client.get(reverse("forum:topic", args=[topic.pk])).status_code == 404
    # ...but the post in question can be traced, with the reason recorded first.
    url = reverse("forum:post_reveal", args=[topic.last_post_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Discipline case 2026-21: threat in this post."})
    assert response.status_code == 200
    assert writer.name in response.content.decode()
    assert IdentityReveal.objects.get().revealed_user == writer.user
    assert client.get(reverse("forum:post_reveal", args=[10**9])).status_code == 404
