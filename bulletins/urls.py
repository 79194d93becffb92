from django.urls import path, re_path

from bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.index, name="index"),
    path("notices/<int:notice_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("notices/<int:notice_id>/report/", views.report, name="report"),
    path("notices/<int:notice_id>/report.xlsx", views.report_export, name="report_export"),
    path("notices/<int:notice_id>/remind/", views.remind, name="remind"),
    path(
        "notices/<int:notice_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("boards/<int:board_id>/delegates/", views.delegates, name="delegates"),
    path(
        "boards/<int:board_id>/delegates/<int:user_id>/remove/",
        views.delegate_remove,
        name="delegate_remove",
    ),
    path(
        "boards/<int:board_id>/discussions/new/",
        views.discussion_create,
        name="discussion_create",
    ),
    path("discussions/<int:discussion_id>/", views.discussion, name="discussion"),
    path(
        "discussions/<int:discussion_id>/suggestions/<int:post_id>/mark/",
        views.discussion_mark_view,
        name="discussion_mark",
    ),
    path(
        "discussions/<int:discussion_id>/close/",
        views.discussion_close_view,
        name="discussion_close",
    ),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/regenerate/", views.feeds_regenerate, name="feeds_regenerate"),
    path("feeds/<str:token>/channels.atom", views.channels_feed, name="channels_feed"),
    path("feeds/<str:token>/boards/<int:board_id>.atom", views.board_feed, name="board_feed"),
    # Last, so that every address above keeps its meaning; the same characters as Wagtail's
    # own pattern (wagtail.urls.serve_pattern).
    re_path(
        r"^(?P<board_slug>[\w\-]+)/(?:(?P<notice_slug>[\w\-]+)/)?$",
        views.board_or_notice,
        name="board_or_notice",
    ),
]
