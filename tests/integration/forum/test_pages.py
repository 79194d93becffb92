"""The forum's pages: choosing a pseudonym, posting, per-board permissions, unread tracking,
moderation and the identity auditor's reveal."""

import itertools
import re

import pytest
from django.urls import reverse

from forum.models import (
    Identity,
    IdentityReveal,
    Post,
    Pseudonym,
    RenameRequest,
    Report,
    Topic,
)
from forum.services import posting, pseudonyms
from portal.models import AuditEntry
from portal.refusals import Refusal
from tests.factories.forum import BoardFactory, topic_with_posts
from tests.factories.people import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def test_employee_without_pseudonym_reads_but_is_sent_to_choose_one_before_posting(
    english, board, alice, employee
):
    topic = posting.topic_create(board=board, title="Hello", body="Hi all", author=alice.pseudonym)
    english.force_login(employee)
    assert english.get(reverse("forum:topic", args=[topic.pk])).status_code == 200
    response = english.get(reverse("forum:topic_reply", args=[topic.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("forum:pseudonym_choose"))


def test_choosing_a_pseudonym_only_from_the_offered_names(english, employee):
    english.force_login(employee)
    page = english.get(reverse("forum:pseudonym_choose"))
    offered = english.session["forum_offered_pseudonyms"]
    assert len(offered) == 5 and all(name in page.content.decode() for name in offered)
    refused = english.post(reverse("forum:pseudonym_choose"), {"name": "ZhangWei"})
    assert refused.status_code == 400
    assert not Identity.objects.filter(user=employee).exists()
    response = english.post(
        reverse("forum:pseudonym_choose"), {"name": offered[2], "next": "/forum/"}
    )
    assert response.status_code == 302 and response["Location"] == "/forum/"
    assert Pseudonym.objects.get(name=offered[2])
    # Chosen once: the page now sends them to their settings.
    assert english.get(reverse("forum:pseudonym_choose"))["Location"] == reverse("forum:settings")


def test_pseudonym_suggestions_skip_taken_names(monkeypatch, db):
    names = itertools.cycle(["A", "B", "C", "D"])
    monkeypatch.setattr(pseudonyms.secrets, "choice", lambda seq: next(names))
    monkeypatch.setattr(pseudonyms.secrets, "randbelow", lambda n: 0)
    Pseudonym.objects.create(name="AB100")
    assert "AB100" not in pseudonyms.pseudonym_suggestions()


def test_posting_a_topic_and_a_reply_through_the_pages(english, board, alice, bob):
    english.force_login(alice)
    response = english.post(
        reverse("forum:topic_create", args=[board.slug]),
        {"title": "Shift swap", "body": "Who swaps **Friday**?"},
    )
    topic = Topic.objects.get(title="Shift swap")
    assert response["Location"] == reverse("forum:topic", args=[topic.pk])
    page = english.get(response["Location"]).content.decode()
    assert "CalmOtter101" in page and "<strong>Friday</strong>" in page
    english.force_login(bob)
    response = english.post(reverse("forum:topic_reply", args=[topic.pk]), {"body": "Me!"})
    assert response.status_code == 302 and response["Location"].endswith("#p2")
    assert Post.objects.get(topic=topic, number=2).author == bob.pseudonym


def test_the_rate_limit_answers_429_with_a_clear_message(english, board, alice, settings):
    settings.FORUM_POSTS_PER_MINUTE = 1
    english.force_login(alice)
    english.post(reverse("forum:topic_create", args=[board.slug]), {"title": "a", "body": "b"})
    topic = Topic.objects.get()
    response = english.post(reverse("forum:topic_reply", args=[topic.pk]), {"body": "again"})
    assert response.status_code == 429
    assert "You are posting too fast: at most 1 post per minute" in response.content.decode()
    # What they wrote is still in the form.
    assert "again" in response.content.decode()
    assert Post.objects.count() == 1


def test_quoting_names_the_quoted_pseudonym(english, board, alice, bob):
    topic = posting.topic_create(
        board=board, title="T", body="Original words", author=alice.pseudonym
    )
    english.force_login(bob)
    page = english.get(
        reverse("forum:topic_reply", args=[topic.pk]) + f"?quote={topic.last_post_id}"
    ).content.decode()
    assert "&gt; **@CalmOtter101:**" in page and "&gt; Original words" in page


def test_a_department_board_is_missing_for_other_departments(english, alice):
    quality = DepartmentFactory(code="quality")
    board = BoardFactory(department=quality, slug="quality-only")
    member = EmployeeFactory(department=quality).user
    topic = topic_with_posts(board=board, author=alice.pseudonym, count=2)
    english.force_login(alice)  # another department
    for url in [
        reverse("forum:board", args=[board.slug]),
        reverse("forum:board_feed", args=[board.slug]),
        reverse("forum:topic", args=[topic.pk]),
        reverse("forum:post", args=[topic.last_post_id]),
        reverse("forum:topic_reply", args=[topic.pk]),
    ]:
        assert english.get(url).status_code == 404, url
    assert "quality-only" not in english.get(reverse("forum:index")).content.decode()
    english.force_login(member)
    assert english.get(reverse("forum:board", args=[board.slug])).status_code == 200
    assert "quality-only" in english.get(reverse("forum:index")).content.decode()


def test_boards_of_other_apps_are_not_listed_in_the_forum_index(english, employee):
    posting.board_ensure(slug="bulletin-talk", name="Bulletin talk", owner_app="bulletins")
    english.force_login(employee)
    assert "bulletin-talk" not in english.get(reverse("forum:index")).content.decode()
    assert english.get(reverse("forum:board", args=["bulletin-talk"])).status_code == 200


def test_unread_tracking_and_jump_to_first_unread(english, board, alice, bob, settings):
    settings.FORUM_POSTS_PER_MINUTE = 1000
    topic = topic_with_posts(board=board, author=alice.pseudonym, count=45, title="Long one")
    english.force_login(bob)
    listing = english.get(reverse("forum:board", args=[board.slug])).content.decode()
    assert re.search(r'<tr class="unread">.*?Long one', listing, re.S)
    assert english.get(reverse("forum:unread")).content.decode().count("Long one") == 1
    # Reading the first page (posts 1–20) marks them read, not the rest.
    english.get(reverse("forum:topic", args=[topic.pk]))
    jump = english.get(reverse("forum:topic_unread", args=[topic.pk]))
    assert jump["Location"].endswith("?page=2#p21")
    english.get(reverse("forum:topic", args=[topic.pk]) + "?page=last")
    listing = english.get(reverse("forum:board", args=[board.slug])).content.decode()
    assert not re.search(r'<tr class="unread">', listing)
    assert "Long one" not in english.get(reverse("forum:unread")).content.decode()
    # A new reply makes it unread again, and the jump lands on it.
    posting.post_reply(author=alice.pseudonym, topic=topic, body="One more")
    assert "Long one" in english.get(reverse("forum:unread")).content.decode()
    assert english.get(reverse("forum:topic_unread", args=[topic.pk]))["Location"].endswith(
        "?page=3#p46"
    )


def test_old_topics_count_as_read(english, board, alice, bob, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.FORUM_UNREAD_DAYS = 30
    old = timezone.now() - timedelta(days=40)
    topic_with_posts(board=board, author=alice.pseudonym, count=3, title="Ancient", start=old)
    english.force_login(bob)
    assert "Ancient" not in english.get(reverse("forum:unread")).content.decode()


def test_edited_posts_are_marked_and_moderators_see_prior_versions(
    english, board, alice, bob, moderator
):
    topic = posting.topic_create(board=board, title="T", body="before", author=alice.pseudonym)
    posting.post_edit(author=alice.pseudonym, post=topic.last_post, body="after")
    english.force_login(bob)
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert 'class="hint edited"' in page and "before" not in page
    assert english.get(reverse("forum:post_history", args=[topic.last_post_id])).status_code == 403
    english.force_login(moderator)
    history = english.get(reverse("forum:post_history", args=[topic.last_post_id])).content
    assert b"before" in history and b"after" in history


def test_an_author_sees_the_earlier_versions_of_their_own_post(english, board, alice, bob):
    topic = posting.topic_create(board=board, title="T", body="before", author=alice.pseudonym)
    posting.post_edit(author=alice.pseudonym, post=topic.last_post, body="after")
    history_url = reverse("forum:post_history", args=[topic.last_post_id])
    english.force_login(alice)
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert f'href="{history_url}"' in page
    response = english.get(history_url)
    assert response.status_code == 200
    assert b"before" in response.content and b"after" in response.content
    # Another employee neither sees the link nor opens the page.
    english.force_login(bob)
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert f'href="{history_url}"' not in page
    assert english.get(history_url).status_code == 403


def test_report_queue_and_hiding_with_a_reason_shown_in_place(
    english, board, alice, bob, moderator
):
    topic = posting.topic_create(board=board, title="T", body="ok", author=alice.pseudonym)
    bad = posting.post_reply(author=bob.pseudonym, topic=topic, body="Buy cheap watches")
    english.force_login(alice)
    english.post(reverse("forum:post_report", args=[bad.pk]), {"reason": "Spam"})
    assert Report.objects.get().reporter == alice.pseudonym
    english.force_login(bob)
    assert english.get(reverse("forum:moderation")).status_code == 403
    english.force_login(moderator)
    queue = english.get(reverse("forum:moderation")).content.decode()
    assert "Spam" in queue and "BraveCrane202" in queue and "CalmOtter101" in queue
    english.post(reverse("forum:post_hide", args=[bad.pk]), {"reason": "Advertising"})
    assert Report.objects.get().resolved_at is not None
    assert AuditEntry.objects.filter(action="forum.post_hide", actor=moderator).exists()
    english.force_login(alice)
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert "Hidden by a moderator: Advertising" in page and "cheap watches" not in page


def test_moderators_lock_pin_and_move(english, board, alice, moderator):
    other = BoardFactory()
    topic = posting.topic_create(board=board, title="T", body="ok", author=alice.pseudonym)
    english.force_login(moderator)
    english.post(reverse("forum:topic_moderate", args=[topic.pk]), {"action": "lock"})
    english.post(reverse("forum:topic_moderate", args=[topic.pk]), {"action": "pin"})
    english.post(reverse("forum:topic_move", args=[topic.pk]), {"board": other.pk})
    topic.refresh_from_db()
    assert topic.is_locked and topic.is_pinned and topic.board == other
    english.force_login(alice)
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert "This topic is locked" in page
    assert (
        english.post(reverse("forum:topic_reply", args=[topic.pk]), {"body": "x"}).status_code
        == 400
    )


def test_reveal_needs_a_reason_records_before_showing_and_tells_other_auditors(
    english, board, alice, auditor, django_capture_on_commit_callbacks
):
    from tests.conftest import make_role_user, sign_in

    other_auditor = make_role_user("identity_auditor")
    topic = posting.topic_create(board=board, title="T", body="whistle", author=alice.pseudonym)
    post = topic.last_post
    url = reverse("forum:post_reveal", args=[post.pk])
    sign_in(english, auditor)
    short = english.post(url, {"reason": "curious"})
    assert short.status_code == 400 and not IdentityReveal.objects.exists()
    employee = alice.employee
    assert employee.name not in short.content.decode()
    reason = "Discipline committee case 2026-14: threat made in this post."
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url, {"reason": reason})
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    body = response.content.decode()
    assert employee.name in body and employee.employee_number in body
    reveal = IdentityReveal.objects.get()
    assert (reveal.auditor, reveal.revealed_user, reveal.post) == (auditor, alice, post)
    entry = AuditEntry.objects.get(action="forum.identity_reveal")
    assert entry.actor == auditor and entry.reason == reason
    assert entry.data["pseudonym"] == "CalmOtter101"
    # The audit log does not itself carry the person.
    assert employee.name not in str(entry.data) + entry.target_repr
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.get(task_path="portal.tasks.email_send")
    assert task.args_kwargs["kwargs"]["to"] == [other_auditor.email]
    assert employee.name not in str(task.args_kwargs)
    log = english.get(reverse("forum:reveals")).content.decode()
    assert reason in log and employee.name not in log


def test_superusers_and_moderators_cannot_reveal(english, board, alice, role_users):
    topic = posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
    for role in ("superuser", "forum_moderator", "employee"):
        english.force_login(role_users[role])
        url = reverse("forum:post_reveal", args=[topic.last_post_id])
        assert english.post(url, {"reason": "x" * 40}).status_code == 403
    assert not IdentityReveal.objects.exists()


def test_the_holder_asks_and_an_administrator_renames_once_a_year(english, alice, role_users):
    admin = role_users["superuser"]
    english.force_login(admin)
    assert b"CalmOtter101" not in english.get(reverse("forum:pseudonym_admin")).content
    # Nobody asked: an administrator cannot rename on their own.
    with pytest.raises(Refusal):
        pseudonyms.pseudonym_rename(actor=admin, pseudonym=alice.pseudonym, new_name="NewName1")

    english.force_login(alice)
    english.post(reverse("forum:settings"), {"action": "request_rename"})
    english.force_login(admin)
    page = english.get(reverse("forum:pseudonym_admin")).content.decode()
    assert "CalmOtter101" in page and alice.employee.name not in page
    offered = english.session["forum_rename_offered"]
    request_id = RenameRequest.objects.get().pk
    english.post(reverse("forum:pseudonym_admin"), {"request": request_id, "new_name": offered[0]})
    alice.pseudonym.refresh_from_db()
    assert alice.pseudonym.name == offered[0]
    assert AuditEntry.objects.filter(action="forum.pseudonym_rename", actor=admin).exists()

    # Within a year the holder cannot even ask again.
    english.force_login(alice)
    response = english.post(reverse("forum:settings"), {"action": "request_rename"}, follow=True)
    assert "it may be renamed once a year" in response.content.decode()
    assert not RenameRequest.objects.filter(resolved_at__isnull=True).exists()
    english.force_login(role_users["forum_moderator"])
    assert english.get(reverse("forum:pseudonym_admin")).status_code == 403


def test_a_rename_requested_a_year_later_is_granted(alice, role_users):
    from datetime import timedelta

    from django.utils import timezone

    admin = role_users["superuser"]
    pseudonyms.pseudonym_rename_request(pseudonym=alice.pseudonym)
    pseudonyms.pseudonym_rename(actor=admin, pseudonym=alice.pseudonym, new_name="FirstNew1")
    later = timezone.now() + timedelta(days=366)
    pseudonyms.pseudonym_rename_request(pseudonym=alice.pseudonym, now=later)
    pseudonyms.pseudonym_rename(
        actor=admin, pseudonym=alice.pseudonym, new_name="SecondNew2", now=later
    )
    alice.pseudonym.refresh_from_db()
    assert alice.pseudonym.name == "SecondNew2"


def test_mention_completion_lists_pseudonyms_only(english, alice, bob):
    english.force_login(bob)
    data = english.get(reverse("forum:pseudonyms_json"), {"q": "calm"}).json()
    assert data == {"pseudonyms": ["CalmOtter101"]}


def test_the_board_feed_lists_topics_by_pseudonym(english, board, alice, bob):
    posting.topic_create(board=board, title="Feed me", body="x", author=alice.pseudonym)
    english.force_login(bob)
    feed = english.get(reverse("forum:board_feed", args=[board.slug]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Feed me" in feed.content.decode() and "CalmOtter101" in feed.content.decode()


def test_topics_of_another_apps_board_are_not_opened_in_the_forum(english, alice):
    board = posting.board_ensure(slug="bulletin-talk", name="Talk", owner_app="bulletins")
    english.force_login(alice)
    response = english.post(
        reverse("forum:topic_create", args=[board.slug]), {"title": "x", "body": "y"}
    )
    assert response.status_code == 403 and not Topic.objects.exists()


def test_following_a_topic_and_a_board_and_email_settings(english, board, alice):
    topic = posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
    english.force_login(alice)
    from forum.models import Subscription

    english.post(reverse("forum:topic_subscribe", args=[topic.pk]))
    assert not Subscription.objects.filter(topic=topic).exists()  # was following as author
    english.post(reverse("forum:topic_subscribe", args=[topic.pk]))
    assert Subscription.objects.filter(topic=topic, pseudonym=alice.pseudonym).exists()
    english.post(reverse("forum:board_subscribe", args=[board.slug]))
    assert Subscription.objects.filter(board=board, pseudonym=alice.pseudonym).exists()
    english.post(reverse("forum:settings"), {"email_notifications": "on"})
    alice.pseudonym.refresh_from_db()
    assert alice.pseudonym.email_notifications


def test_deleting_own_post_asks_first_and_leaves_a_placeholder(english, board, alice, bob):
    topic = posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
    reply = posting.post_reply(author=bob.pseudonym, topic=topic, body="regret this")
    english.force_login(bob)
    confirm = english.get(reverse("forum:post_delete", args=[reply.pk]))
    assert confirm.status_code == 200 and b"Delete this post?" in confirm.content
    english.post(reverse("forum:post_delete", args=[reply.pk]))
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert "regret this" not in page and "This post was deleted by its author." in page


def test_hostile_markdown_posted_through_the_page_is_shown_harmless(english, board, alice, bob):
    english.force_login(alice)
    hostile = (
        "<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n"
        '<img src=x onerror="alert(2)">\n\n![p](data:image/png;base64,AAAA)'
    )
    english.post(reverse("forum:topic_create", args=[board.slug]), {"title": "Hi", "body": hostile})
    topic = Topic.objects.get()
    english.force_login(bob)
    html = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    body = html.split('<div class="post-body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "<img" not in body
    assert 'href="javascript' not in body and 'href="data:' not in body
    assert "&lt;script&gt;" in body  # shown as text, not run


def test_past_the_delete_window_the_author_is_told_why(english, board, alice, bob, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.FORUM_DELETE_WINDOW_MINUTES = 30
    topic = posting.topic_create(board=board, title="T", body="x", author=alice.pseudonym)
    old = posting.post_reply(
        author=bob.pseudonym,
        topic=topic,
        body="said long ago",
        now=timezone.now() - timedelta(minutes=31),
    )
    english.force_login(bob)
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert reverse("forum:post_delete", args=[old.pk]) not in page
    assert reverse("forum:post_edit", args=[old.pk]) in page
    for method in (english.get, english.post):
        response = method(reverse("forum:post_delete", args=[old.pk]), follow=True)
        assert response.status_code == 200
        assert "posts can be deleted for 30 minutes after they are posted" in (
            response.content.decode()
        )
    old.refresh_from_db()
    assert not old.is_deleted and old.body == "said long ago"
    # Someone else's post: plainly not theirs to delete.
    english.force_login(alice)
    assert english.post(reverse("forum:post_delete", args=[old.pk])).status_code == 403


def test_hiding_and_moving_ask_first_and_change_nothing_until_confirmed(
    english, board, alice, moderator
):
    BoardFactory(name="Elsewhere")
    topic = posting.topic_create(board=board, title="T", body="words", author=alice.pseudonym)
    english.force_login(moderator)
    hide = english.get(reverse("forum:post_hide", args=[topic.last_post_id])).content.decode()
    assert 'name="reason"' in hide and "Cancel" in hide and "words" in hide
    move = english.get(reverse("forum:topic_move", args=[topic.pk])).content.decode()
    assert "Elsewhere" in move and "Cancel" in move
    # A hide without a reason is refused with the form again.
    refused = english.post(reverse("forum:post_hide", args=[topic.last_post_id]), {"reason": ""})
    assert refused.status_code == 400
    topic.refresh_from_db()
    assert topic.board == board and not topic.last_post.is_hidden


def test_moving_with_no_other_board_says_so(english, board, alice, moderator):
    topic = posting.topic_create(board=board, title="T", body="words", author=alice.pseudonym)
    english.force_login(moderator)
    page = english.get(reverse("forum:topic_move", args=[topic.pk])).content.decode()
    assert "There is no other board to move this topic to." in page
    assert 'name="board"' not in page
    assert english.post(reverse("forum:topic_move", args=[topic.pk]), {}).status_code == 400


def test_a_pinned_topic_heads_its_board_until_unpinned(english, board, alice, moderator):
    from datetime import timedelta

    from django.utils import timezone

    old = posting.topic_create(
        board=board,
        title="House rules",
        body="x",
        author=alice.pseudonym,
        now=timezone.now() - timedelta(days=3),
    )
    posting.topic_create(board=board, title="Fresh news", body="y", author=alice.pseudonym)
    english.force_login(moderator)

    def titles():
        page = english.get(reverse("forum:board", args=[board.slug])).content.decode()
        return re.findall(r'class="topic-title"[^>]*>([^<]+)<', page)

    assert titles() == ["Fresh news", "House rules"]
    english.post(reverse("forum:topic_moderate", args=[old.pk]), {"action": "pin"})
    assert titles() == ["House rules", "Fresh news"]
    english.post(reverse("forum:topic_moderate", args=[old.pk]), {"action": "unpin"})
    assert titles() == ["Fresh news", "House rules"]
    assert (
        english.post(
            reverse("forum:topic_moderate", args=[old.pk]), {"action": "explode"}, follow=True
        ).status_code
        == 200
    )


def test_pseudonym_suggestions_are_chinese_and_unique(db):
    offered = pseudonyms.pseudonym_suggestions(count=20)
    assert len(offered) == 20 and len(set(offered)) == 20
    for name in offered:
        assert re.search(r"[\u4e00-\u9fff]", name), name
        assert not re.search(r"[A-Za-z]", name), name
        assert len(name) <= 10


def test_chinese_pseudonym_suggestions_skip_taken_names(monkeypatch, db):
    words = itertools.cycle(["安静", "苍鹭", "安静", "苍鹭", "勇敢", "丹鹤"])
    monkeypatch.setattr(pseudonyms.secrets, "choice", lambda seq: next(words))
    monkeypatch.setattr(pseudonyms.secrets, "randbelow", lambda n: 1)
    Pseudonym.objects.create(name="安静苍鹭101")
    assert pseudonyms.pseudonym_suggestions(count=2) == ["勇敢丹鹤101"]


def test_a_mention_links_to_the_pseudonyms_posts_without_revealing_who_it_is(
    english, board, alice, bob
):
    posting.topic_create(
        board=board, title="Dust", body="My own words here.", author=alice.pseudonym
    )
    secret = BoardFactory(department=DepartmentFactory())
    posting.topic_create(
        board=secret, title="Closed door", body="Not for everyone.", author=alice.pseudonym
    )
    topic = posting.topic_create(
        board=board,
        title="Ask",
        body="What do you think, @calmotter101? And @NoSuchName1?",
        author=bob.pseudonym,
    )
    posts_url = reverse("forum:pseudonym_posts", args=[alice.pseudonym.pk])
    english.force_login(bob)
    page = english.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert f'<a class="mention" href="{posts_url}">@calmotter101</a>' in page
    assert "@NoSuchName1?" in page
    listing = english.get(posts_url)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "CalmOtter101" in html and "My own words here." in html and "Dust" in html
    # Only boards the reader may read; nothing about the person behind the pseudonym.
    assert "Closed door" not in html
    employee = alice.employee
    for identity in (employee.name, alice.username, alice.email, employee.department.name):
        assert identity not in html
