"""The article as its page shows it is rendered once and kept (`knowledge.article_html`): read
again only after a new revision is published or anything its body links to changes, kept
apart per language, face and kind of reader, never kept for a preview; and the "Was this
helpful?" form is written from a kept text with the reader's own values put in."""

import re
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from knowledge import article_html as article_html_module
from knowledge.article_html import LINKED_GENERATION, article_html, helpful_html
from knowledge.models import ArticlePage
from knowledge.selectors import URL_NAMES
from knowledge.services import article_vote
from tests.conftest import make_role_user, set_face
from tests.factories.knowledge import ArticlePageFactory, HelpfulVoteFactory, knowledge_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    """Counts the renderings of the article's template (none kept in this process yet)."""
    article_html_module._kept.clear()
    with mock.patch.object(
        article_html_module, "_render", wraps=article_html_module._render
    ) as render:
        yield render


def body_linking(*, page=None, document=None, image=None):
    links = []
    if page is not None:
        links.append(f'<a linktype="page" id="{page.pk}">看这里</a>')
    if document is not None:
        links.append(f'<a linktype="document" id="{document.pk}">下载规程</a>')
    body = [{"type": "text", "value": f"<p>正文 {' '.join(links)}</p>"}]
    if image is not None:
        body.append({"type": "image", "value": {"image": image.pk, "caption": "图一"}})
    return body


def link(page_html, words):
    """The address of the link with these words."""
    return re.search(rf'<a href="([^"]*)">{words}</a>', page_html)[1]


def republish(article, **changes):
    page = article.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_article_is_rendered_once_until_a_new_revision_is_published(
    client, intranet, employee, renders
):
    article = ArticlePageFactory(title="旧标题", body=[{"type": "text", "value": "<p>旧正文</p>"}])
    client.force_login(employee)
    assert "旧正文" in html(client, article.url)
    assert "旧正文" in html(client, article.url)
    assert renders.call_count == 1
    # A change behind every signal's back is not seen: the article is kept...
    ArticlePage.objects.filter(pk=article.pk).update(summary="悄悄改的摘要")
    assert "悄悄改的摘要" not in html(client, article.url)
    # ...until a new revision is published.
    republish(article, body=[{"type": "text", "value": "<p>新正文</p>"}])
    page = html(client, article.url)
    assert "新正文" in page and "旧正文" not in page
    assert renders.call_count == 2


def test_a_renamed_or_moved_linked_page_is_linked_at_its_new_address(
    client, intranet, employee, editor, renders
):
    # Not an article: the knowledge base's own receivers do not hear of it.
    home = Site.objects.get(is_default_site=True).root_page
    target = home.add_child(instance=Page(title="别处的页面", slug="target-before"))
    article = ArticlePageFactory(body=body_linking(page=target))
    client.force_login(employee)
    # Written without a request, a link names the site (there are two).
    assert link(html(client, article.url), "看这里").endswith("/target-before/")
    republish(target, slug="target-after")
    inside = link(html(client, article.url), "看这里")
    assert inside.endswith("/target-after/")
    target.refresh_from_db()
    target.move(knowledge_index("extranet"), pos="last-child")
    outside = link(html(client, article.url), "看这里")
    assert outside.endswith("/articles/target-after/") and outside != inside
    assert renders.call_count == 3


def test_a_renamed_linked_document_and_a_renamed_image_are_shown_afresh(
    client, intranet, employee, renders
):
    document = get_document_model().objects.create(
        title="规程", file=ContentFile(b"rules", name="before.txt")
    )
    image = get_image_model().objects.create(title="旧图", file=get_test_image_file("a.png"))
    article = ArticlePageFactory(body=body_linking(document=document, image=image))
    client.force_login(employee)
    page = html(client, article.url)
    assert link(page, "下载规程").endswith(f"/{document.pk}/before.txt")
    assert 'alt="旧图"' in page
    document.file.save("after.txt", ContentFile(b"rules, revised"))
    assert link(html(client, article.url), "下载规程").endswith(f"/{document.pk}/after.txt")
    image.title = "新图"
    image.save()
    assert 'alt="新图"' in html(client, article.url)
    assert renders.call_count == 3


def test_a_restriction_on_a_linked_page_or_document_renews_the_kept_articles(intranet):
    target = ArticlePageFactory()
    before = LINKED_GENERATION.current()
    restriction = PageViewRestriction.objects.create(
        page=target, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    after_page = LINKED_GENERATION.current()
    assert after_page != before
    restriction.delete()
    assert LINKED_GENERATION.current() != after_page
    collection = Collection.get_first_root_node().add_child(name="内部")
    last = LINKED_GENERATION.current()
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    assert LINKED_GENERATION.current() != last


def test_a_link_to_a_restricted_page_reads_alike_for_every_reader(client, intranet, renders):
    """Wagtail writes a link to a restricted page as any other (only the target checks who
    asks): one kept text serves every reader, and it gives nothing more away than before."""
    target = ArticlePageFactory(slug="restricted-target")
    article = ArticlePageFactory(body=body_linking(page=target))
    PageViewRestriction.objects.create(
        page=target, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    pages = []
    for role in ("employee", "knowledge_editor"):
        client.force_login(make_role_user(role))
        pages.append(html(client, article.url))
    body = r'<div class="kb-body">.*?</div>'
    assert re.search(body, pages[0], re.S)[0] == re.search(body, pages[1], re.S)[0]
    assert link(pages[0], "看这里").endswith("/articles/restricted-target/")


def test_languages_are_kept_apart(client, intranet, employee, settings, renders):
    article = ArticlePageFactory(
        body=[{"type": "steps", "value": {"title": "", "steps": ["第一步"]}}]
    )
    client.force_login(employee)
    pages = {}
    for language in ("en", "zh-hans", "en", "zh-hans"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = html(client, article.url)
    assert '<h2 class="visually-hidden">Steps</h2>' in pages["en"]
    assert ">Knowledge base</a>" in pages["en"]
    assert '<h2 class="visually-hidden">步骤</h2>' in pages["zh-hans"]
    assert ">知识库</a>" in pages["zh-hans"]
    assert renders.call_count == 2


def test_faces_are_kept_apart(intranet, settings, renders):
    """The same article read as on the intranet and as on the extranet: each face's own
    breadcrumb and meta line, neither taken from the other's kept text."""
    article = ArticlePageFactory(review_by=None)
    article = ArticlePage.objects.select_related("department", "knowledge_type").get(pk=article.pk)
    found = {}
    for face in ("intranet", "extranet", "intranet", "extranet"):
        set_face(settings, face)
        context = {"kb_urls": URL_NAMES[face], "tags": [], "attachments": [], "is_editor": False}
        with translation.override("en"):
            found[face] = str(
                article_html(article=article, face=face, context=context, generations=(1, 1))
            )
    assert ">Knowledge base</a>" in found["intranet"]
    assert 'href="/knowledge/' in found["intranet"]
    assert ">Retail knowledge base</a>" in found["extranet"]
    assert 'href="/shop/knowledge/' in found["extranet"]
    assert renders.call_count == 2


def test_retailers_and_employees_read_their_own_faces_articles(client, settings, renders):
    inside = ArticlePageFactory(face="intranet", slug="inside", title="内部文章")
    outside = ArticlePageFactory(face="extranet", slug="outside", title="零售文章")
    set_face(settings, "extranet")
    client.force_login(make_role_user("retailer"))
    page = html(client, "/articles/outside/")
    assert "零售文章" in page and 'href="/shop/knowledge/' in page
    assert client.get("/articles/inside/").status_code == 404
    set_face(settings, "intranet")
    client.force_login(make_role_user("employee"))
    page = html(client, "/articles/inside/")
    assert "内部文章" in page and 'href="/knowledge/' in page
    assert client.get("/articles/outside/").status_code == 404
    assert {call.kwargs["article"].pk for call in renders.call_args_list} == {
        inside.pk,
        outside.pk,
    }


def test_the_editors_links_are_kept_for_editors_only(client, intranet, editor, employee):
    article = ArticlePageFactory()
    edit = reverse("wagtailadmin_pages:edit", args=[article.pk])
    for reader, sees in ((editor, True), (employee, False), (editor, True)):
        client.force_login(reader)
        assert (edit in html(client, article.url)) is sees


def test_a_preview_is_neither_kept_nor_read_from_what_is_kept(intranet, renders):
    article = ArticlePageFactory(title="预览")
    context = {"kb_urls": URL_NAMES["intranet"], "tags": [], "attachments": [], "is_editor": False}
    kept = dict(article_html_module._kept)
    for _visit in range(2):
        article_html(
            article=article, face="intranet", context=context, generations=(1, 1), preview=True
        )
    assert renders.call_count == 2
    assert article_html_module._kept == kept


def test_the_warm_page_asks_nothing_of_what_the_body_links_to(client, intranet, employee):
    target = ArticlePageFactory()
    document = get_document_model().objects.create(
        title="规程", file=ContentFile(b"rules", name="rules.txt")
    )
    image = get_image_model().objects.create(title="图", file=get_test_image_file("a.png"))
    plain = ArticlePageFactory()
    linking = ArticlePageFactory(body=body_linking(page=target, document=document, image=image))
    client.force_login(employee)
    counts = []
    for article in (plain, linking):
        html(client, article.url)
        with CaptureQueriesContext(connection) as warm:
            html(client, article.url)
        counts.append(len(warm.captured_queries))
        tables = " ".join(query["sql"] for query in warm.captured_queries)
        assert "wagtaildocs" not in tables and "wagtailimages" not in tables
    assert counts[0] == counts[1]


def test_each_reader_gets_their_own_answer_comment_and_token(intranet, renders):
    article = ArticlePageFactory()
    first, second = make_role_user("employee"), make_role_user("employee")
    article_vote(article=article, user=first, helpful=False, comment="<b>太长</b>")
    first_client, second_client = Client(enforce_csrf_checks=True), Client()
    first_client.force_login(first)
    second_client.force_login(second)
    page = html(first_client, article.url)
    assert "&lt;b&gt;太长&lt;/b&gt;</textarea>" in page
    assert 'value="no" checked' in page
    assert article_html_module._MARK not in page
    other = html(second_client, article.url)
    assert "></textarea>" in other and "checked" not in other
    assert article_html_module._MARK not in other
    # The token put in is the page's own: the form posts.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = first_client.post(
        reverse("knowledge:vote", args=[article.pk]),
        {"helpful": "yes", "comment": "", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert 'value="yes" required checked' in html(first_client, article.url)


def test_the_helpful_form_reads_as_its_template_rendered_afresh(intranet, rf):
    from django.template.loader import render_to_string

    article = ArticlePageFactory()
    vote = HelpfulVoteFactory(
        article=article, user=make_role_user("employee"), helpful=True, comment="有用 & 清楚"
    )
    for answer in (vote, None):
        kept = helpful_html(
            article=article,
            face="intranet",
            kb_urls=URL_NAMES["intranet"],
            vote=answer,
            csrf_token="TOKEN123",
        )
        afresh = render_to_string(
            article_html_module.HELPFUL_TEMPLATE,
            {
                "article_pk": article.pk,
                "helpful_count": article.helpful_yes,
                "kb_urls": URL_NAMES["intranet"],
                "answer": answer,
                "csrf_token": "TOKEN123",
            },
        )
        assert str(kept) == afresh
