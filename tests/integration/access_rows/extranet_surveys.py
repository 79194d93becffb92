"""Access-matrix rows of surveys: the retailers' pages on the extranet (/shop/surveys/) and the
sales administrators' pages on the intranet (/sales/surveys/; other employees, account managers
included, get 403).

On the extranet the row's survey is addressed to a list of retailers that does not include the
matrix's retailer, so it answers 404 — a survey not addressed to you looks like no survey."""

from tests.access import DENIED, MISSING, OK, extranet_row, intranet_row

METHOD_NOT_ALLOWED = "405"
FOUND = "302"


def administrators(**overrides):
    return intranet_row(employees=DENIED, sales_administrator=OK, superuser=OK, **overrides)


def survey_url(prefix, suffix="", *, question=None, audience="all"):
    def make():
        from extranet.surveys.models import Survey, SurveyTarget
        from tests.factories.people import RetailerFactory
        from tests.factories.surveys import QuestionFactory, SurveyFactory

        survey = SurveyFactory(audience=audience)
        if audience == Survey.Audience.SELECTED:
            SurveyTarget.objects.create(survey=survey, retailer=RetailerFactory())
        item = QuestionFactory(survey=survey, kind=question or "long_text")
        return f"{prefix}{survey.pk}/{suffix}".replace("<question>", str(item.pk))

    return make


INTRANET = {
    "sales/surveys/": ("/sales/surveys/", administrators()),
    "sales/surveys/new/": ("/sales/surveys/new/", administrators()),
    "sales/surveys/<int:survey_id>/": (survey_url("/sales/surveys/"), administrators()),
    "sales/surveys/<int:survey_id>/edit/": (
        survey_url("/sales/surveys/", "edit/"),
        administrators(),
    ),
    "sales/surveys/<int:survey_id>/publish/": (
        survey_url("/sales/surveys/", "publish/"),
        intranet_row(employees=METHOD_NOT_ALLOWED),
    ),
    "sales/surveys/<int:survey_id>/questions/new/": (
        survey_url("/sales/surveys/", "questions/new/"),
        administrators(),
    ),
    "sales/surveys/<int:survey_id>/questions/<int:question_id>/edit/": (
        survey_url("/sales/surveys/", "questions/<question>/edit/"),
        administrators(),
    ),
    "sales/surveys/<int:survey_id>/questions/<int:question_id>/delete/": (
        survey_url("/sales/surveys/", "questions/<question>/delete/"),
        administrators(),
    ),
    "sales/surveys/<int:survey_id>/questions/<int:question_id>/move/": (
        survey_url("/sales/surveys/", "questions/<question>/move/"),
        intranet_row(employees=METHOD_NOT_ALLOWED),
    ),
    "sales/surveys/<int:survey_id>/results/": (
        survey_url("/sales/surveys/", "results/", question="single"),
        administrators(),
    ),
    "sales/surveys/<int:survey_id>/results/<int:question_id>/": (
        survey_url("/sales/surveys/", "results/<question>/"),
        administrators(),
    ),
    "sales/surveys/<int:survey_id>/export/": (
        survey_url("/sales/surveys/", "export/"),
        administrators(),
    ),
}

EXTRANET = {
    "shop/surveys/": ("/shop/surveys/", extranet_row()),
    "shop/surveys/<int:survey_id>/": (
        survey_url("/shop/surveys/", audience="selected"),
        extranet_row(retailer=MISSING),
    ),
    "shop/surveys/<int:survey_id>/thanks/": (
        survey_url("/shop/surveys/", "thanks/", audience="selected"),
        extranet_row(retailer=MISSING),
    ),
}
