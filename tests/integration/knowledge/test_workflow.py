"""Contribution and review: an employee's draft goes to the knowledge editors' review
(Wagtail workflow); approve publishes it, request changes sends it back with a comment, reject
ends it; the author is told by mail (sent by the worker) and on "my articles"."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupPagePermission, Workflow, WorkflowState

from knowledge.models import ArticlePage, KnowledgeReviewTask
from knowledge.services import (
    WORKFLOW_NAME,
    ArticleContent,
    article_draft_create,
    article_draft_revise,
    knowledge_setup_ensure,
)
from portal.refusals import Refusal
from tests.factories.knowledge import knowledge_index, knowledge_type

pytestmark = pytest.mark.django_db


def content(title="梗丝霉变的识别", **fields):
    return ArticleContent(
        title=title,
        knowledge_type=knowledge_type("raw-material-quality"),
        text=fields.pop("text", "霉变梗丝有霉味和白色菌丝。"),
        **fields,
    )


def author_mail(author):
    (message,) = [message for message in mail.outbox if message.to == [author.email]]
    return message


def act(article, user, action, comment=""):
    """What Wagtail admin does when an editor chooses a workflow action."""
    state = WorkflowState.objects.active().get(object_id=str(article.pk))
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state.specific, user, action, comment=comment)


def test_set_up_is_idempotent_and_gives_editors_the_knowledge_trees():
    knowledge_setup_ensure()
    knowledge_setup_ensure()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    task = KnowledgeReviewTask.objects.get()
    assert list(task.groups.values_list("name", flat=True)) == ["knowledge_editor"]
    for face in ("intranet", "extranet"):
        index = knowledge_index(face)
        assert index.get_workflow() == workflow
        assert GroupPagePermission.objects.filter(
            page=index, group__name="knowledge_editor", permission__codename="publish_page"
        ).exists()


def test_a_draft_is_not_live_and_is_in_review(author, client, intranet):
    with_department = author.employee.department
    article = article_draft_create(author=author, content=content())
    article.refresh_from_db()
    assert not article.live
    assert article.department == with_department
    assert article.get_parent().specific == knowledge_index("intranet")
    assert WorkflowState.objects.get(object_id=str(article.pk)).status == "in_progress"
    client.force_login(author)
    assert "梗丝霉变的识别" not in client.get("/knowledge/").content.decode()
    assert client.get("/articles/" + article.slug + "/").status_code == 404


def test_editor_approval_publishes_and_mails_the_author(
    author, editor, committed, client, intranet
):
    article = article_draft_create(author=author, content=content())
    with committed():
        act(article, editor, "approve")
    article.refresh_from_db()
    assert article.live
    # One mail to the author (ours, from the worker); Wagtail's own one is not sent twice.
    to_author = [message for message in mail.outbox if message.to == [author.email]]
    assert len(to_author) == 1
    assert "梗丝霉变的识别" in to_author[0].subject
    client.force_login(author)
    page = client.get(reverse("knowledge:mine")).content.decode()
    assert "Published" in page or "已发布" in page
    assert "梗丝霉变的识别" in client.get("/knowledge/").content.decode()


def test_requested_changes_reach_the_author_who_revises_and_resubmits(
    author, editor, committed, client, intranet
):
    article = article_draft_create(author=author, content=content())
    with committed():
        act(article, editor, "reject", comment="请补充检测步骤。")
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "请补充检测步骤。" in author_mail(author).body

    client.force_login(author)
    mine = client.get(reverse("knowledge:mine")).content.decode()
    assert "请补充检测步骤。" in mine
    edit_url = reverse("knowledge:revise", args=[article.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "title": "梗丝霉变的识别（修订）",
            "knowledge_type": knowledge_type("raw-material-quality").pk,
            "text": "霉变梗丝有霉味。",
            "steps": "取样\n目测",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    article.refresh_from_db()
    assert not article.live
    latest = article.get_latest_revision_as_object()
    assert latest.title == "梗丝霉变的识别（修订）"

    with committed():
        act(article, editor, "approve")
    article.refresh_from_db()
    assert article.live
    assert article.title == "梗丝霉变的识别（修订）"


def test_rejection_ends_the_review_and_the_author_cannot_resubmit(
    author, editor, committed, client, intranet
):
    article = article_draft_create(author=author, content=content())
    with committed():
        act(article, editor, "decline", comment="与已有文章重复。")
    article.refresh_from_db()
    assert article.rejected_at is not None and not article.live
    assert not WorkflowState.objects.active().filter(object_id=str(article.pk)).exists()
    assert "与已有文章重复。" in author_mail(author).body
    client.force_login(author)
    assert "与已有文章重复。" in client.get(reverse("knowledge:mine")).content.decode()
    response = client.get(reverse("knowledge:revise", args=[article.pk]))
    assert response.status_code == 302
    with pytest.raises(Refusal):
        article_draft_revise(author=author, article=article, content=content())


def test_editor_approves_in_wagtail_admin(author, editor, committed, client, intranet):
    article = article_draft_create(author=author, content=content())
    task_state = WorkflowState.objects.get(object_id=str(article.pk)).current_task_state
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk])
    with committed():
        response = client.post(url, {})
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live


def test_an_employee_cannot_revise_someone_elses_draft(author, client, intranet):
    from tests.conftest import make_role_user

    article = article_draft_create(author=author, content=content())
    client.force_login(make_role_user("employee"))
    assert client.get(reverse("knowledge:revise", args=[article.pk])).status_code == 404


def test_saved_draft_is_not_sent_to_review(author, client, intranet):
    client.force_login(author)
    response = client.post(
        reverse("knowledge:contribute"),
        {
            "title": "仓库温湿度控制",
            "audience": "internal",
            "knowledge_type": knowledge_type("storage").pk,
            "text": "相对湿度保持在60%至65%。",
            "tags": "温湿度，仓储",
            "action": "save",
        },
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(title="仓库温湿度控制")
    assert not WorkflowState.objects.filter(object_id=str(article.pk)).exists()
    assert sorted(article.get_latest_revision_as_object().tags.names()) == ["仓储", "温湿度"]


def test_external_contribution_goes_under_the_extranet_knowledge_base(author):
    article = article_draft_create(author=author, content=content(), audience="external")
    assert article.get_parent().specific == knowledge_index("extranet")


def test_bad_attachment_is_refused_and_nothing_is_saved(author, client, intranet):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(author)
    response = client.post(
        reverse("knowledge:contribute"),
        {
            "title": "带病毒的附件",
            "audience": "internal",
            "knowledge_type": knowledge_type("storage").pk,
            "text": "正文",
            "attachments": [SimpleUploadedFile("evil.exe", b"MZ")],
        },
    )
    assert response.status_code == 400
    assert "evil.exe" in response.content.decode()
    assert not ArticlePage.objects.filter(title="带病毒的附件").exists()
