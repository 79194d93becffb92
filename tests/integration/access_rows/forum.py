"""Access-matrix rows of the forum.

route (as the URL configuration spells it) → (a URL to request, or a function of no arguments
that makes the objects the URL needs and returns it; outcomes by role). The outcomes and row
builders are in tests/access.py.

The role users of the matrix have no pseudonym yet: pages that write send them to choose one
(AWAY). Actions are POST only (405 to a GET). Moderator, auditor and administrator tools answer
403 to other roles.
"""

from tests.access import AWAY, DENIED, OK, intranet_row

NOT_GET = "405"


def _post():
    from forum.services import posting
    from tests.factories.forum import BoardFactory, author

    _employee, pseudonym = author()
    topic = posting.topic_create(
        board=BoardFactory(), title="Matrix", body="A post.", author=pseudonym
    )
    return topic.last_post


def _board_url(suffix=""):
    def build():
        return f"/forum/b/{_post().topic.board.slug}/{suffix}"

    return build


def _topic_url(suffix=""):
    def build():
        return f"/forum/t/{_post().topic_id}/{suffix}"

    return build


def _post_url(suffix=""):
    def build():
        return f"/forum/p/{_post().pk}/{suffix}"

    return build


def _pseudonym_posts():
    return f"/forum/by/{_post().author_id}/"


def _report_dismiss():
    from forum.services import moderation
    from tests.factories.forum import pseudonym_for
    from tests.factories.people import EmployeeFactory

    post = _post()
    reporter = pseudonym_for(EmployeeFactory().user)
    report = moderation.report_create(reporter=reporter, post=post, reason="Spam")
    return f"/forum/reports/{report.pk}/dismiss/"


def only(role, others=DENIED):
    return intranet_row(employees=others, **{role: OK})


INTRANET = {
    "forum/": ("/forum/", intranet_row()),
    "forum/unread/": ("/forum/unread/", intranet_row()),
    "forum/notifications/": ("/forum/notifications/", intranet_row()),
    "forum/settings/": ("/forum/settings/", intranet_row(employees=AWAY)),
    "forum/pseudonym/": ("/forum/pseudonym/", intranet_row()),
    "forum/pseudonyms.json": ("/forum/pseudonyms.json?q=ab", intranet_row()),
    "forum/moderation/": ("/forum/moderation/", only("forum_moderator")),
    "forum/reports/<int:report_id>/dismiss/": (_report_dismiss, intranet_row(employees=NOT_GET)),
    "forum/reveals/": ("/forum/reveals/", only("identity_auditor")),
    "forum/pseudonyms/": ("/forum/pseudonyms/", only("superuser")),
    "forum/by/<int:pseudonym_id>/": (_pseudonym_posts, intranet_row()),
    "forum/b/<slug:slug>/": (_board_url(), intranet_row()),
    "forum/b/<slug:slug>/feed/": (_board_url("feed/"), intranet_row()),
    "forum/b/<slug:slug>/new/": (_board_url("new/"), intranet_row(employees=AWAY)),
    "forum/b/<slug:slug>/subscribe/": (_board_url("subscribe/"), intranet_row(employees=NOT_GET)),
    "forum/t/<int:topic_id>/": (_topic_url(), intranet_row()),
    "forum/t/<int:topic_id>/unread/": (_topic_url("unread/"), intranet_row(employees=AWAY)),
    "forum/t/<int:topic_id>/reply/": (_topic_url("reply/"), intranet_row(employees=AWAY)),
    "forum/t/<int:topic_id>/subscribe/": (
        _topic_url("subscribe/"),
        intranet_row(employees=NOT_GET),
    ),
    "forum/t/<int:topic_id>/moderate/": (_topic_url("moderate/"), intranet_row(employees=NOT_GET)),
    "forum/t/<int:topic_id>/move/": (_topic_url("move/"), only("forum_moderator")),
    "forum/p/<int:post_id>/": (_post_url(), intranet_row(employees=AWAY)),
    "forum/p/<int:post_id>/edit/": (_post_url("edit/"), intranet_row(employees=DENIED)),
    "forum/p/<int:post_id>/delete/": (_post_url("delete/"), intranet_row(employees=DENIED)),
    "forum/p/<int:post_id>/report/": (_post_url("report/"), intranet_row(employees=AWAY)),
    "forum/p/<int:post_id>/hide/": (_post_url("hide/"), only("forum_moderator")),
    "forum/p/<int:post_id>/restore/": (_post_url("restore/"), intranet_row(employees=NOT_GET)),
    "forum/p/<int:post_id>/history/": (_post_url("history/"), only("forum_moderator")),
    "forum/p/<int:post_id>/reveal/": (_post_url("reveal/"), only("identity_auditor")),
}

EXTRANET = {}
