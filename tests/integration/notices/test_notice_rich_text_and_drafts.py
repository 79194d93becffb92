"""Rich-text notice bodies (sanitised on the server, shown on the pages, sent as multipart
mail) and editable drafts (author only; a notice being sent is never edited: 409)."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import AuditEntry
from portal.notices.models import Notice, NoticeAttachment
from portal.notices.services import NoticeRefused, notice_draft_update, notice_send
from tests.factories.people import DepartmentFactory, EmployeeFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    "<div>周六 <strong>停电</strong><script>alert('x')</script></div>"
    '<p onclick="steal()" style="color:red">请<a href="javascript:alert(1)">点这里</a>'
    '和<a href="https://oa.example.cn/plan" onmouseover="steal()">计划</a></p>'
    '<iframe src="https://evil.example/"></iframe><img src=x onerror="alert(2)">'
    "<style>body{display:none}</style><ul><li>关闭设备</li></ul>"
)
FORBIDDEN = (
    "<script",
    "alert(",
    "onclick",
    "onmouseover",
    "steal()",
    "javascript:",
    "style=",
    "<iframe",
    "evil.example",
    "<img",
    "onerror",
    "<style",
    "display:none",
)


@pytest.fixture
def office_sender(people):
    return EmployeeFactory(
        name="厂办秘书", department=DepartmentFactory(code="director-office")
    ).user


@pytest.fixture
def sender_client(client, intranet, office_sender):
    client.force_login(office_sender)
    client.cookies["portal_language"] = "en"
    return client


def compose(client, **data):
    payload = {
        "subject": "停电通知",
        "body": HOSTILE_BODY,
        "body_format": "html",
        "departments": ["quality"],
    }
    payload.update(data)
    return client.post("/notices/new/", payload)


def body_of(html: str) -> str:
    start = html.index('<div class="notice-body">')
    return html[start : html.index("</div>", html.index("</ul>", start))]


def test_hostile_html_is_sanitised_before_it_is_stored_shown_and_mailed(
    sender_client, people, django_capture_on_commit_callbacks
):
    response = compose(sender_client)
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.body_format == "html"
    for stored in (notice.body, notice.body_html):
        for bad in FORBIDDEN:
            assert bad not in stored, bad
    assert "<strong>停电</strong>" in notice.body_html
    assert '<a href="https://oa.example.cn/plan" rel="noopener noreferrer">计划</a>' in (
        notice.body_html
    )

    confirm = body_of(sender_client.get(f"/notices/{notice.pk}/confirm/").content.decode())
    assert "<strong>停电</strong>" in confirm and "<li>关闭设备</li>" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        sender_client.post(f"/notices/{notice.pk}/confirm/")
    run_worker()
    page = sender_client.get(f"/notices/{notice.pk}/").content.decode()
    shown = body_of(page)
    assert "<strong>停电</strong>" in shown
    for bad in FORBIDDEN:
        assert bad not in shown, bad

    # A recipient's inbox and the notice page show the same sanitised HTML.
    sender_client.force_login(people["zhangwen"].user)
    inbox = sender_client.get("/notices/").content.decode()
    assert "停电通知" in inbox
    shown = body_of(sender_client.get(f"/notices/{notice.pk}/").content.decode())
    assert "<li>关闭设备</li>" in shown and "<script" not in shown

    message = mail.outbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>停电</strong>" in html
    for bad in FORBIDDEN:
        assert bad not in html and bad not in message.body, bad
    assert "<" not in message.body.replace("<https://oa.example.cn/plan>", "")
    assert "周六 停电" in message.body
    assert "- 关闭设备" in message.body
    assert "计划 <https://oa.example.cn/plan>" in message.body


def test_without_javascript_the_textarea_is_plain_text_and_markup_is_escaped(sender_client, people):
    response = compose(sender_client, body="<b>粗</b> **真粗**\n\n- 甲", body_format="")
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.body_format == "text"
    assert "&lt;b&gt;粗&lt;/b&gt;" in notice.body_html
    assert "<strong>真粗</strong>" in notice.body_html and "<li>甲</li>" in notice.body_html


def test_a_body_with_no_text_left_after_sanitising_is_refused(sender_client, people):
    response = compose(sender_client, body="<script>alert(1)</script><p> </p>")
    assert response.status_code == 400
    assert "Write the message." in response.content.decode()
    assert not Notice.objects.exists()


def test_the_compose_page_loads_the_vendored_editor_and_keeps_a_textarea(sender_client, people):
    html = sender_client.get("/notices/new/").content.decode()
    assert "portal/vendor/trix/trix.umd.min.js" in html
    assert "portal/notice-editor.js" in html
    assert 'data-rich-text="true"' in html and "<textarea" in html
    assert 'name="body_format" value="text"' in html
    assert 'id="notice-editor-labels"' in html


# Drafts -------------------------------------------------------------------------------------


@pytest.fixture
def draft(sender_client, people):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    compose(sender_client, body="<p>原文</p>", attachments=[upload])
    return Notice.objects.get()


def test_the_author_reopens_edits_and_sends_a_draft(
    sender_client, draft, people, django_capture_on_commit_callbacks
):
    page = sender_client.get(f"/notices/{draft.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Edit the draft" in html and "停电通知" in html and "&lt;p&gt;原文&lt;/p&gt;" in html
    assert 'name="body_format" value="html"' in html
    assert 'value="quality"' in html and "checked" in html
    old = draft.attachments.get()
    assert "plan.pdf" in html

    new_file = SimpleUploadedFile("list.txt", b"names", content_type="text/plain")
    response = sender_client.post(
        f"/notices/{draft.pk}/edit/",
        {
            "subject": "停电通知（更正）",
            "body": "<p>改为<em>周日</em></p><script>x()</script>",
            "body_format": "html",
            "departments": ["production"],
            "include_sections": "on",
            "remove_attachments": [old.pk],
            "attachments": [new_file],
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(
        f"/notices/{draft.pk}/confirm/"
    )
    draft.refresh_from_db()
    assert draft.status == Notice.Status.DRAFT
    assert draft.subject == "停电通知（更正）"
    assert draft.body_html == "<p>改为<em>周日</em></p>"
    assert draft.audience == {
        "departments": ["production"],
        "include_sections": True,
        "roles": [],
        "people": [],
    }
    assert list(draft.attachments.values_list("name", flat=True)) == ["list.txt"]
    assert not NoticeAttachment.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(action="notice.edited", target_id=str(draft.pk)).exists()

    confirm = sender_client.get(f"/notices/{draft.pk}/confirm/").content.decode()
    assert "2 recipients" in confirm and "张伟" in confirm and "张卫国" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        sender_client.post(f"/notices/{draft.pk}/confirm/")
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        people[key].user.email for key in ("zhangwei", "zhangweiguo")
    )
    assert mail.outbox[0].subject == "停电通知（更正）"
    assert mail.outbox[0].attachments[0][0] == "list.txt"


def test_a_sent_notice_is_never_editable(sender_client, draft, office_sender):
    notice_send(notice=draft, actor=office_sender)
    response = sender_client.get(f"/notices/{draft.pk}/edit/")
    assert response.status_code == 409
    assert "cannot be changed" in response.content.decode()
    response = sender_client.post(
        f"/notices/{draft.pk}/edit/",
        {"subject": "改", "body": "改", "departments": ["quality"]},
    )
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.subject == "停电通知"
    with pytest.raises(NoticeRefused) as refused:
        notice_draft_update(
            notice=draft,
            actor=office_sender,
            subject="改",
            body="改",
            audience={"departments": ["quality"]},
        )
    assert refused.value.status == 409  # sent already


def test_only_the_author_edits_a_draft(client, intranet, draft, people):
    other_office = EmployeeFactory(department=DepartmentFactory(code="computer-center")).user
    client.force_login(other_office)
    assert client.get(f"/notices/{draft.pk}/edit/").status_code == 404
    response = client.post(
        f"/notices/{draft.pk}/edit/", {"subject": "改", "body": "改", "departments": ["quality"]}
    )
    assert response.status_code == 404
    with pytest.raises(NoticeRefused) as refused:
        notice_draft_update(
            notice=draft,
            actor=other_office,
            subject="改",
            body="改",
            audience={"departments": ["quality"]},
        )
    assert refused.value.status == 403  # not the author's
    draft.refresh_from_db()
    assert draft.subject == "停电通知"


def test_an_edit_is_checked_like_a_new_draft_and_saves_nothing_when_refused(
    client, intranet, people, factory_departments
):
    head = people["zhangwen"]
    factory_departments["quality"].head = head
    factory_departments["quality"].save()
    client.force_login(head.user)
    client.cookies["portal_language"] = "en"
    response = client.post(
        "/notices/new/", {"subject": "质检", "body": "检查", "departments": ["quality"]}
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    # Everyone in production is outside the head's department: refused, nothing changes.
    response = client.post(
        f"/notices/{notice.pk}/edit/",
        {"subject": "改", "body": "改", "people": people["zhangwei"].employee_number},
    )
    assert response.status_code == 400
    assert "outside your department" in response.content.decode()
    response = client.post(f"/notices/{notice.pk}/edit/", {"subject": "改", "body": "改"})
    assert response.status_code == 400
    assert "Choose the recipients" in response.content.decode()
    notice.refresh_from_db()
    assert (notice.subject, notice.audience["departments"]) == ("质检", ["quality"])


def test_too_many_attachments_after_an_edit_are_refused(sender_client, draft, settings):
    settings.NOTICE_ATTACHMENTS_MAX_COUNT = 2
    files = [SimpleUploadedFile(f"f{i}.txt", b"x", content_type="text/plain") for i in range(2)]
    response = sender_client.post(
        f"/notices/{draft.pk}/edit/",
        {"subject": "停电通知", "body": "x", "departments": ["quality"], "attachments": files},
    )
    assert response.status_code == 400
    assert "at most 2 attachments" in response.content.decode()
    assert draft.attachments.count() == 1
