"""An article's own address on either face, "articles/<slug>/" (the knowledge index pages'
slug), found in one query and served by Wagtail (`knowledge.views.article_page`). Included at
the root of both faces' URL configurations, before Wagtail's own page-serving pattern."""

from django.urls import re_path

from knowledge.views import article_page

urlpatterns = [
    re_path(r"^articles/(?P<slug>[\w\-]+)/$", article_page, name="article_page"),
]
