"""Access-matrix rows of the knowledge base.

route (as the URL configuration spells it) → (a URL to request, or a function of no arguments
that makes the objects the URL needs and returns it; outcomes by role). The outcomes and row
builders are in tests/access.py.
"""

from tests.access import AWAY, DENIED, MISSING, OK, extranet_row, intranet_row


def _internal_article():
    from tests.factories.knowledge import ArticlePageFactory

    return ArticlePageFactory(face="intranet")


def _external_article():
    from tests.factories.knowledge import ArticlePageFactory

    return ArticlePageFactory(face="extranet")


def _address(article, face):
    from portal.sites import site_for_face

    return article.relative_url(site_for_face(face))


def _draft_article(face):
    from tests.factories.knowledge import ArticlePageFactory

    return ArticlePageFactory(face=face, live=False)


# An article's address, found in one query (knowledge.views.article_page).
ARTICLE = "^articles/(?P<slug>[\\w\\-]+)/$"


def _vote_url():
    return f"/knowledge/articles/{_internal_article().pk}/vote/"


def _attachment_url():
    from tests.factories.knowledge import ArticleAttachmentFactory

    return f"/knowledge/attachments/{ArticleAttachmentFactory(article=_internal_article()).pk}/"


def _someone_elses_draft_url():
    # A draft written by another employee: nobody but its author may revise it.
    from tests.factories.knowledge import ArticlePageFactory
    from tests.factories.people import EmployeeFactory

    author = EmployeeFactory().user
    return f"/knowledge/mine/{ArticlePageFactory(live=False, owner=author).pk}/edit/"


def _external_vote_url():
    return f"/shop/knowledge/articles/{_external_article().pk}/vote/"


def _external_attachment_url():
    from tests.factories.knowledge import ArticleAttachmentFactory

    attachment = ArticleAttachmentFactory(article=_external_article())
    return f"/shop/knowledge/attachments/{attachment.pk}/"


INTRANET = {
    "knowledge/": ("/knowledge/", intranet_row()),
    "knowledge/search/": ("/knowledge/search/?q=烘丝机", intranet_row()),
    "knowledge/contribute/": ("/knowledge/contribute/", intranet_row()),
    "knowledge/mine/": ("/knowledge/mine/", intranet_row()),
    "knowledge/mine/<int:pk>/edit/": (_someone_elses_draft_url, intranet_row(employees=MISSING)),
    "knowledge/overdue/": ("/knowledge/overdue/", intranet_row()),
    "knowledge/report/": (
        "/knowledge/report/",
        intranet_row(employees=DENIED, knowledge_editor=OK, superuser=OK),
    ),
    "knowledge/articles/<int:pk>/vote/": (_vote_url, intranet_row(employees=AWAY)),
    "knowledge/attachments/<int:pk>/": (_attachment_url, intranet_row()),
    ARTICLE: (lambda: _address(_internal_article(), "intranet"), intranet_row()),
    # Not on this face's site: the extranet's article at the same kind of address.
    f"{ARTICLE} of an extranet article": (
        lambda: "/articles/" + _external_article().slug + "/",
        intranet_row(employees=MISSING),
    ),
    f"{ARTICLE} of a draft": (
        lambda: "/articles/" + _draft_article("intranet").slug + "/",
        intranet_row(employees=MISSING),
    ),
}

EXTRANET = {
    "shop/knowledge/search/": ("/shop/knowledge/search/?q=陈列", extranet_row()),
    "shop/knowledge/articles/<int:pk>/vote/": (_external_vote_url, extranet_row(retailer=AWAY)),
    "shop/knowledge/attachments/<int:pk>/": (_external_attachment_url, extranet_row()),
    ARTICLE: (lambda: _address(_external_article(), "extranet"), extranet_row()),
    f"{ARTICLE} of an intranet article": (
        lambda: "/articles/" + _internal_article().slug + "/",
        extranet_row(retailer=MISSING),
    ),
    f"{ARTICLE} of a draft": (
        lambda: "/articles/" + _draft_article("extranet").slug + "/",
        extranet_row(retailer=MISSING),
    ),
}
