"""The body of a survey's results page (rates, a section per question, the charts' data),
kept in the cache as HTML: the same for every member of the sales staff allowed to see it, in
each language.

What it shows is read from the survey, its questions and choices, the submitted responses and
their answers, and the retailers of its audience, so an entry is kept under the generations
that change with them: the surveys' (a survey or its audience criteria saved or deleted), the
questions' (a question or a choice), and the market data's (`ANALYSIS_GENERATION`: a response
saved or deleted — a response's answers are written before it is submitted and never after —
and any retailer saved, or re-graded in bulk). The key also holds the survey's id, the
language, the time zone and the URL configuration of the links. A survey that does not exist
(or no longer does: deleting it bumps the surveys' generation) has no entry, so the page looks
it up and answers 404 as before."""

from django.core.cache import cache
from django.urls import get_urlconf
from django.utils import timezone
from django.utils.translation import get_language

from extranet.market.dashboards.kept import ANALYSIS_GENERATION
from extranet.surveys.selectors import QUESTIONS_GENERATION, SURVEYS_GENERATION
from portal.generations import Generation

KEPT_TIMEOUT = 3600


def results_key(survey_id: int) -> str:
    analysis, surveys, questions = Generation.current_many(
        ANALYSIS_GENERATION, SURVEYS_GENERATION, QUESTIONS_GENERATION
    )
    return ":".join(
        [
            "extranet:surveys:results",
            str(analysis),
            str(surveys),
            str(questions),
            str(survey_id),
            get_language(),
            timezone.get_current_timezone_name(),
            str(get_urlconf()),
        ]
    )


def kept_results(key: str) -> tuple[str, str] | None:
    """(the survey's title, the body's HTML) kept under `key`, or None."""
    return cache.get(key)


def keep_results(key: str, title: str, html: str) -> None:
    cache.set(key, (title, html), KEPT_TIMEOUT)
