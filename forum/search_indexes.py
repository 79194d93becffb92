"""What the search finds in the forum: posts, by their words and their topic's title.

Only pseudonyms are indexed or shown (the index never sees a user). Who may see a result is
asked of the database at search time (`posts_visible_to`): hidden and deleted posts and posts
on boards the reader may not see are left out, whatever the index still holds.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from haystack import indexes

from forum.models import Post
from forum.rendering import plain_text
from forum.selectors import posts_visible_to
from forum.services.links import owned_topic_urls
from portal.search.registry import PortalSearchIndex, ResultText, SearchKind


class PostIndex(PortalSearchIndex, indexes.Indexable):
    model = Post
    kind = SearchKind("forum", _("Forum posts"), order=40)
    faces = ("intranet",)
    related = {"topic": ("title",)}

    def indexed_queryset(self, *, face):
        return Post.objects.filter(is_hidden=False, is_deleted=False).select_related(
            "topic", "author"
        )

    def visible_to(self, *, user, queryset, face):
        return posts_visible_to(user=user, queryset=queryset)

    def title_text(self, post):
        return post.topic.title if post.number == 1 else ""

    def text_parts(self, post):
        return [post.topic.title if post.number == 1 else "", plain_text(post.body_html)]

    def result_queryset(self, *, face):
        return Post.objects.select_related("topic__board", "author")

    def result(self, post, *, face, url=""):
        return ResultText(
            title=f"{post.topic.title} · #{post.number}",
            url=url or reverse("forum:post", args=[post.pk]),
            text=f"{post.author_label}: {plain_text(post.body_html)}",
        )

    def results(self, posts, *, face):
        """A post on a board another app runs (a bulletins discussion, locked in the forum)
        links to that app's page of its topic."""
        owned = owned_topic_urls(post.topic for post in posts)
        return [self.result(post, face=face, url=owned.get(post.topic_id, "")) for post in posts]
