"""The survey results page's per-question sections written in Python
(extranet.surveys.result_html): byte for byte what the template loop wrote, in both languages,
for every kind of question and with the question's text escaped."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from extranet.surveys.models import Question, Survey
from extranet.surveys.result_html import result_sections_html

LOOP = Template(
    """{% load i18n figures %}{% for item in results %}
<section class="card survey-result" id="result-{{ item.question.pk }}">
  <h2>{{ forloop.counter }}. {{ item.question.text }}</h2>
  <p class="hint">{{ item.question.get_kind_display }} · {% blocktranslate count counter=item.count %}{{ counter }} answer{% plural %}{{ counter }} answers{% endblocktranslate %}</p>
  {% if item.chart %}
  <div class="chart-box"><canvas data-chart="{{ item.question.pk }}" role="img" aria-label="{{ item.question.text }}"></canvas></div>
  <div class="table-scroll"><table class="data chart-table">
    <tbody>{{ item.rows }}</tbody>
  </table></div>
  {% elif item.stats %}
  <p>{% translate "Average" %} {{ item.stats.average|plain }} · {% translate "Smallest" %} {{ item.stats.low|plain }} · {% translate "Largest" %} {{ item.stats.high|plain }}</p>
  {% elif item.question.is_text %}
  <p><a href="{% url 'sales:survey_text_answers' survey.pk item.question.pk %}">{% translate "Read the answers" %}</a></p>
  {% else %}<p class="empty-state">{% translate "No answer yet." %}</p>{% endif %}
</section>
{% endfor %}"""  # noqa: E501 (the template as it was)
)


def _results():
    def question(pk, kind, text):
        return Question(pk=pk, kind=kind, text=text)

    stats = {"n": 1234, "average": Decimal("429.0833333"), "low": Decimal("-25"), "high": 7990.5}
    return [
        {
            "question": question(5, "single", '新品 <b>口味</b> & "好"'),
            "count": 1,
            "chart": "pie",
            "rows": mark_safe('<tr><th scope="row">很好</th><td>1</td></tr>'),  # noqa: S308
        },
        {
            "question": question(6, "rating", "满意度"),
            "count": 2,
            "chart": "bar",
            "rows": mark_safe(""),  # noqa: S308
        },
        {"question": question(7, "number", "客流"), "count": 1234, "stats": stats},
        {"question": question(8, "number", "没人答"), "count": 0, "stats": None},
        {"question": question(9, "short_text", "商圈 <i>"), "count": 0},
        {"question": question(10, "long_text", "建议"), "count": 3},
    ]


def test_sections_are_what_the_template_loop_wrote(settings):
    settings.ROOT_URLCONF = settings.PORTAL_URLCONFS["intranet"]
    survey, results = Survey(pk=900), _results()
    for language in ("en", "zh-hans"):
        with translation.override(language):
            html = result_sections_html(survey, results)
            assert html == LOOP.render(Context({"survey": survey, "results": results}))
    assert "&lt;b&gt;口味&lt;/b&gt; &amp; &quot;好&quot;" in html and "<b>" not in html
    assert result_sections_html(survey, []) == ""
