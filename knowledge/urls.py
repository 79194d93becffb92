"""The knowledge base on the intranet (articles themselves are served by Wagtail)."""

from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("contribute/", views.contribute, name="contribute"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/edit/", views.revise, name="revise"),
    path("overdue/", views.overdue, name="overdue"),
    path("report/", views.report, name="report"),
    path("articles/<int:pk>/vote/", views.vote, name="vote"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
