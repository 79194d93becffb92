from django.urls import path

from portal.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.archive, name="archive"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
