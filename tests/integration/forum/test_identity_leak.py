"""No real name, login name, employee number or email of an author reaches anyone through the
forum — pages, feeds, JSON, search, notifications, admin listings — except an identity
auditor's reveal response.

Every URL pattern of `forum.urls` is requested (a new one is picked up automatically), as every
role of the access matrix, with a forum full of the things that leaked elsewhere: quotes,
mentions, edits, hidden last posts, reports, notifications, moderation in the audit log.
"""

import pytest
from django.urls import URLPattern, reverse

from forum.models import Notification
from forum.services import moderation, posting, pseudonyms
from forum.urls import urlpatterns
from portal.models import AuditEntry
from tests.conftest import ROLE_KEYS, make_role_user, sign_in
from tests.factories.forum import BoardFactory, pseudonym_for
from tests.factories.people import EmployeeFactory, UserFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

AUTHORS = [
    # name, employee number (= login name), email
    ("司马懿", "AUTH-7731", "sima.yi@factory.example.com"),
    ("诸葛亮", "AUTH-8842", "zhuge.liang@factory.example.com"),
]


def make_author(name, number, email, pseudonym):
    employee = EmployeeFactory(
        name=name,
        employee_number=number,
        user=UserFactory(username=number, email=email, first_name=name, last_name=name),
    )
    employee.user.pseudonym = pseudonym_for(employee.user, pseudonym)
    return employee


@pytest.fixture
def forum_world(django_capture_on_commit_callbacks, settings):
    settings.FORUM_POSTS_PER_MINUTE = 100
    moderator = make_role_user("forum_moderator")
    first = make_author(*AUTHORS[0], "MistyHeron501")
    second = make_author(*AUTHORS[1], "KeenMaple602")
    pseudonyms.pseudonym_set_preferences(pseudonym=first.user.pseudonym, email_notifications=True)
    # Issuing the accounts above is audited as role grants that name each person, as the log
    # must; they say nothing about who writes what. The forum's own records follow.
    AuditEntry.objects.filter(action__startswith="role.").delete()
    board = BoardFactory(slug="open-board")
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.topic_create(
            board=board,
            title="Night shift",
            body="Lights in hall 3 flicker.",
            author=first.user.pseudonym,
        )
        quoted = posting.post_reply(
            author=second.user.pseudonym,
            topic=topic,
            body="> **@MistyHeron501:**\n> Lights flicker\n\nYes, @MistyHeron501 is right.",
        )
        posting.post_edit(author=second.user.pseudonym, post=quoted, body="Edited: agreed.")
        last = posting.post_reply(author=second.user.pseudonym, topic=topic, body="Spam!")
        moderation.post_hide(moderator=moderator, post=last, reason="Spam")
        report = moderation.report_create(
            reporter=first.user.pseudonym, post=quoted, reason="Off topic"
        )
        pseudonyms.pseudonym_rename_request(pseudonym=first.user.pseudonym)
    run_worker()
    assert Notification.objects.exists()
    return {
        "slug": board.slug,
        "topic_id": topic.pk,
        "post_id": quoted.pk,
        "report_id": report.pk,
        # The page an @mention of the first author leads to.
        "pseudonym_id": first.user.pseudonym.pk,
        "authors": [first, second],
    }


def forbidden_strings(authors):
    strings = []
    for employee in authors:
        strings += [employee.name, employee.employee_number, employee.user.username]
        strings += [employee.user.email, employee.user.email.split("@")[0]]
    return strings


def forum_urls(world):
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {key: world[key] for key in pattern.pattern.converters}
        urls.append(reverse(f"forum:{pattern.name}", kwargs=kwargs))
    topic, post = world["topic_id"], world["post_id"]
    urls += [
        reverse("forum:topic", args=[topic]) + "?page=last",
        reverse("forum:topic_reply", args=[topic]) + f"?quote={post}",
        reverse("forum:pseudonyms_json") + "?q=mi",
        "/search/?q=lights",
        "/search/?q=MistyHeron501&kind=forum",
        "/admin/forum_boards/",
        "/admin/auditentry/",
    ]
    return urls


def assert_no_leak(response, forbidden, where):
    content = response.content.decode(errors="replace")
    headers = str(dict(response.headers))
    for text in forbidden:
        assert text not in content, f"{text!r} leaked in {where}"
        assert text not in headers, f"{text!r} leaked in the headers of {where}"


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_no_page_names_an_author_to_any_role(client, intranet, forum_world, role):
    forbidden = forbidden_strings(forum_world["authors"])
    viewer = make_role_user(role)
    if viewer is not None:
        if viewer.is_employee:
            pseudonym_for(viewer, f"Viewer{role.replace('_', '')}")
        sign_in(client, viewer)
    for url in forum_urls(forum_world):
        # Admin pages send those without admin access round the sign-in page: not followed.
        response = client.get(url, follow=not url.startswith("/admin/"))
        assert response.status_code < 500, url
        assert_no_leak(response, forbidden, f"GET {url} as {role}")
    # Moderators' and readers' actions answer with pages that must not leak either.
    post = forum_world["post_id"]
    for url, data in [
        (reverse("forum:post_report", args=[post]), {"reason": "Please check"}),
        (reverse("forum:post_hide", args=[post]), {"reason": "Rude"}),
        (reverse("forum:post_restore", args=[post]), {}),
        (reverse("forum:post_reveal", args=[post]), {"reason": "too short"}),
    ]:
        response = client.post(url, data, follow=True)
        assert response.status_code < 500, url
        assert_no_leak(response, forbidden, f"POST {url} as {role}")


def test_notification_emails_carry_no_name_and_no_pseudonym(forum_world, mailoutbox):
    forbidden = forbidden_strings(forum_world["authors"][1:])
    assert mailoutbox, "the opted-in author was mentioned and should have had mail"
    for message in mailoutbox:
        text = message.message().as_string() + message.subject + message.body
        for value in [*forbidden, "KeenMaple602", "MistyHeron501", "Night shift"]:
            assert value not in text


def test_only_the_identity_auditors_reveal_names_the_author(client, intranet, forum_world):
    auditor = make_role_user("identity_auditor")
    sign_in(client, auditor)
    url = reverse("forum:post_reveal", args=[forum_world["post_id"]])
    response = client.post(url, {"reason": "Discipline case 2026-3, harassment complaint."})
    second = forum_world["authors"][1]
    content = response.content.decode()
    assert second.name in content and second.employee_number in content
    assert second.user.email in content
