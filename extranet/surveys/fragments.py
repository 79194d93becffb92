"""The questions of a survey's answer form as HTML, kept per survey and language while nobody
has answered them: the blank form is the same for every retailer (the CSRF token and the
buttons are outside it), and Django's forms cost far more to render than to read from the
cache. A form with answers (a draft, a rejected POST) is rendered for its user each time.

The kept HTML is forgotten when any survey's questions or choices change: the services bump
`selectors.QUESTIONS_GENERATION` when they lock a survey's structure to change it, and the
signals of questions and choices bump it too (extranet.surveys.signals). Any change of a survey
itself (`SURVEYS_GENERATION`) forgets it as well, so that a new survey never meets the kept
HTML of another under the same id."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from extranet.surveys.forms import AnswersForm
from extranet.surveys.selectors import QUESTIONS_GENERATION, SURVEYS_GENERATION, kept_questions_of
from portal.generations import Generation

QUESTIONS_TIMEOUT = 3600
TEMPLATE = "extranet/surveys/answer_questions.html"


def questions_html(form) -> str:
    """The form's questions (a fieldset each) as the answer page shows them."""
    return render_to_string(TEMPLATE, {"form": form})


def blank_questions_html(survey) -> str:
    """`questions_html` of the survey's form without answers, from the cache when kept (its
    questions are read only when it is not)."""
    surveys, questions = Generation.current_many(SURVEYS_GENERATION, QUESTIONS_GENERATION)
    key = f"extranet:surveys:questions:{survey.pk}:{get_language()}:{surveys}:{questions}"
    html = cache.get(key)
    if html is None:
        html = str(questions_html(AnswersForm(kept_questions_of(survey))))
        cache.set(key, html, QUESTIONS_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by the template above, which escapes


# The results page's table rows, written here rather than by template loops (a few tags per
# cell): each value as the template would show it, localized and escaped.
RATE_ROW = "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} %</td></tr>"
PAIR_ROW = '<tr><th scope="row">{}</th><td>{}</td></tr>'


def rate_rows_html(rows, *, blank_key=None) -> str:
    """Rows of a response-rate table (`selectors.response_rates`): key, retailers, responses,
    rate; a key that is empty shows `blank_key` when given (the template's `default`)."""
    return format_html_join(
        "",
        RATE_ROW,
        (
            (
                localize((row["key"] or blank_key) if blank_key is not None else row["key"]),
                localize(row["total"]),
                localize(row["responded"]),
                localize(row["rate"]),
            )
            for row in rows
        ),
    )


def pair_rows_html(pairs) -> str:
    """Rows of a chart's table: (label, count) pairs, the label a header of its row."""
    return format_html_join(
        "", PAIR_ROW, ((localize(label), localize(value)) for label, value in pairs)
    )
