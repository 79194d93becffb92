"""The survey results page's per-question sections written in one pass (issue 18), rather than
by a template loop of some twenty tags a question: what the loop wrote, byte for byte, with the
same translations (the question's kind, the count of answers with its plural, the labels),
values localized as templates show them and the question's text escaped."""

from html import escape as text

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from portal.figures import number_text

_SECTION = (
    '\n<section class="card survey-result" id="result-{pk}">\n'
    "  <h2>{number}. {title}</h2>\n"
    '  <p class="hint">{kind} · {answers}</p>\n'
    "  {body}\n"
    "</section>\n"
)
_CHART = (
    '\n  <div class="chart-box"><canvas data-chart="{pk}" role="img" aria-label="{title}">'
    "</canvas></div>\n"
    '  <div class="table-scroll"><table class="data chart-table">\n'
    "    <tbody>{rows}</tbody>\n"
    "  </table></div>\n  "
)


def result_sections_html(survey, results) -> SafeString:
    """The <section> of each item of `tallies.survey_tallies`' results (with its chart table's
    `rows`), numbered from 1."""
    average, smallest, largest = gettext("Average"), gettext("Smallest"), gettext("Largest")
    read = text(gettext("Read the answers"))
    empty = text(gettext("No answer yet."))
    sections = []
    for number, item in enumerate(results, start=1):
        question = item["question"]
        title = text(str(question.text))
        count = item["count"]
        answers = ngettext("%(counter)s answer", "%(counter)s answers", count) % {
            "counter": text(str(localize(count)))
        }
        stats = item.get("stats")
        if item.get("chart"):
            body = _CHART.format(pk=question.pk, title=title, rows=item["rows"])
        elif stats:
            body = (
                f"\n  <p>{text(average)} {text(number_text(stats['average']))} · "
                f"{text(smallest)} {text(number_text(stats['low']))} · "
                f"{text(largest)} {text(number_text(stats['high']))}</p>\n  "
            )
        elif question.is_text:
            url = reverse("sales:survey_text_answers", args=[survey.pk, question.pk])
            body = f'\n  <p><a href="{text(url)}">{read}</a></p>\n  '
        else:
            body = f'<p class="empty-state">{empty}</p>'
        sections.append(
            _SECTION.format(
                pk=question.pk,
                number=number,
                title=title,
                kind=text(str(question.get_kind_display())),
                answers=answers,
                body=body,
            )
        )
    # Every value above went through `text` (html.escape) or is an id or markup written here;
    # the chart rows are SafeStrings of extranet.surveys.fragments.
    return mark_safe("".join(sections))  # noqa: S308
