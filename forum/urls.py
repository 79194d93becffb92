from django.urls import path

from forum.views import identity, moderation, pseudonyms, reading, writing

app_name = "forum"

urlpatterns = [
    path("", reading.index, name="index"),
    path("unread/", reading.unread, name="unread"),
    path("notifications/", reading.notifications, name="notifications"),
    path("settings/", pseudonyms.forum_settings, name="settings"),
    path("pseudonym/", pseudonyms.pseudonym_choose, name="pseudonym_choose"),
    path("pseudonyms.json", pseudonyms.pseudonyms_json, name="pseudonyms_json"),
    path("moderation/", moderation.report_queue, name="moderation"),
    path("reports/<int:report_id>/dismiss/", moderation.report_dismiss, name="report_dismiss"),
    path("reveals/", identity.reveals, name="reveals"),
    path("pseudonyms/", pseudonyms.pseudonym_admin, name="pseudonym_admin"),
    path("by/<int:pseudonym_id>/", reading.pseudonym_posts, name="pseudonym_posts"),
    path("b/<slug:slug>/", reading.board, name="board"),
    path("b/<slug:slug>/feed/", reading.board_feed, name="board_feed"),
    path("b/<slug:slug>/new/", writing.topic_create, name="topic_create"),
    path("b/<slug:slug>/subscribe/", writing.board_subscribe, name="board_subscribe"),
    path("t/<int:topic_id>/", reading.topic, name="topic"),
    path("t/<int:topic_id>/unread/", reading.topic_unread, name="topic_unread"),
    path("t/<int:topic_id>/reply/", writing.topic_reply, name="topic_reply"),
    path("t/<int:topic_id>/subscribe/", writing.topic_subscribe, name="topic_subscribe"),
    path("t/<int:topic_id>/moderate/", moderation.topic_moderate, name="topic_moderate"),
    path("t/<int:topic_id>/move/", moderation.topic_move, name="topic_move"),
    path("p/<int:post_id>/", reading.post, name="post"),
    path("p/<int:post_id>/edit/", writing.post_edit, name="post_edit"),
    path("p/<int:post_id>/delete/", writing.post_delete, name="post_delete"),
    path("p/<int:post_id>/report/", writing.post_report, name="post_report"),
    path("p/<int:post_id>/hide/", moderation.post_hide, name="post_hide"),
    path("p/<int:post_id>/restore/", moderation.post_restore, name="post_restore"),
    path("p/<int:post_id>/history/", moderation.post_history, name="post_history"),
    path("p/<int:post_id>/reveal/", identity.post_reveal, name="post_reveal"),
]
