"""The sales administrators' survey pages, included under /sales/surveys/ in the sales
namespace."""

from django.urls import path

from extranet.surveys import views_staff as views

urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("new/", views.survey_new, name="survey_new"),
    path("<int:survey_id>/", views.survey_detail, name="survey"),
    path("<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("<int:survey_id>/publish/", views.survey_publish_view, name="survey_publish"),
    path("<int:survey_id>/questions/new/", views.question_new, name="question_new"),
    path(
        "<int:survey_id>/questions/<int:question_id>/edit/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/delete/",
        views.question_delete_view,
        name="question_delete",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/move/",
        views.question_move_view,
        name="question_move",
    ),
    path("<int:survey_id>/results/", views.results, name="survey_results"),
    path(
        "<int:survey_id>/results/<int:question_id>/",
        views.text_answers,
        name="survey_text_answers",
    ),
    path("<int:survey_id>/export/", views.export, name="survey_export"),
]
