"""A discussion's counts read in one written-out statement (bulletins.suggestion_counts) are
the ORM's: the replies `topic_replies` lists (hidden ones left out, deleted ones kept) and the
marks of each status, of this discussion only."""

import pytest
from django.db.models import Count

from bulletins.models import SuggestionMark
from bulletins.suggestion_counts import suggestion_counts
from forum.models import Post
from forum.selectors import topic_replies
from tests.factories.forum import pseudonym_for
from tests.factories.people import EmployeeFactory
from tests.integration.bulletins.test_discussions import _open

pytestmark = pytest.mark.django_db


def orm_counts(discussion):
    marks = dict(
        SuggestionMark.objects.filter(discussion=discussion)
        .values_list("status")
        .annotate(models_count=Count("pk"))
    )
    statuses = [value for value, _label in SuggestionMark.Status.choices]
    return (
        topic_replies(topic_id=discussion.forum_topic_id).count(),
        {status: marks.get(status, 0) for status in statuses},
    )


def test_the_counts_are_the_orms(sales, sales_board):
    first, second = _open(sales_board), _open(sales_board)
    assert (
        suggestion_counts(discussion=first)
        == orm_counts(first)
        == (0, dict.fromkeys(SuggestionMark.Status.values, 0))
    )
    author = pseudonym_for(EmployeeFactory(department=sales).user)
    for discussion, size in ((first, 7), (second, 3)):
        Post.objects.bulk_create(
            Post(
                topic_id=discussion.forum_topic_id,
                number=number,
                author=author,
                body="建议",
                body_html="<p>建议</p>",
                is_hidden=number == 3,
                is_deleted=number == 4,
            )
            for number in range(2, size + 2)
        )
        replies = list(Post.objects.filter(topic_id=discussion.forum_topic_id).order_by("number"))
        for post, status in zip(replies, ["adopted", "adopted", "not_adopted"], strict=False):
            SuggestionMark.objects.create(discussion=discussion, post_id=post.pk, status=status)
    for discussion in (first, second):
        assert suggestion_counts(discussion=discussion) == orm_counts(discussion)
    assert suggestion_counts(discussion=first)[0] == 6  # the hidden one left out
