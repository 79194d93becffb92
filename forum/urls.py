from django.urls import path

from forum import views

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("unread/", views.unread, name="unread"),
    path("notifications/", views.notifications, name="notifications"),
    path("settings/", views.forum_settings, name="settings"),
    path("pseudonym/", views.pseudonym_choose, name="pseudonym_choose"),
    path("pseudonyms.json", views.pseudonyms_json, name="pseudonyms_json"),
    path("moderation/", views.moderation, name="moderation"),
    path("reports/<int:report_id>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("reveals/", views.reveals, name="reveals"),
    path("pseudonyms/", views.pseudonym_admin, name="pseudonym_admin"),
    path("b/<slug:slug>/", views.board, name="board"),
    path("b/<slug:slug>/feed/", views.board_feed, name="board_feed"),
    path("b/<slug:slug>/new/", views.topic_create, name="topic_create"),
    path("b/<slug:slug>/subscribe/", views.board_subscribe, name="board_subscribe"),
    path("t/<int:topic_id>/", views.topic, name="topic"),
    path("t/<int:topic_id>/unread/", views.topic_unread, name="topic_unread"),
    path("t/<int:topic_id>/reply/", views.topic_reply, name="topic_reply"),
    path("t/<int:topic_id>/subscribe/", views.topic_subscribe, name="topic_subscribe"),
    path("t/<int:topic_id>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("t/<int:topic_id>/move/", views.topic_move, name="topic_move"),
    path("p/<int:post_id>/", views.post, name="post"),
    path("p/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:post_id>/report/", views.post_report, name="post_report"),
    path("p/<int:post_id>/hide/", views.post_hide, name="post_hide"),
    path("p/<int:post_id>/restore/", views.post_restore, name="post_restore"),
    path("p/<int:post_id>/history/", views.post_history, name="post_history"),
    path("p/<int:post_id>/reveal/", views.post_reveal, name="post_reveal"),
]
