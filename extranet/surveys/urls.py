"""The retailers' survey pages, included under /shop/surveys/ in the shop namespace."""

from django.urls import path

from extranet.surveys import views

urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("<int:survey_id>/", views.survey_answer, name="survey"),
    path("<int:survey_id>/thanks/", views.survey_thanks, name="survey_thanks"),
]
