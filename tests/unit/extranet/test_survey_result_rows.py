"""The survey results page's table rows written in Python: what the template loops wrote,
values localized and user text (choice labels, regions) escaped."""

from django.template import Context, Template
from django.utils import translation

from extranet.surveys.fragments import pair_rows_html, rate_rows_html

RATE_LOOP = Template(
    '{% for row in rows %}<tr><td>{{ row.key|default:"—" }}</td><td>{{ row.total }}</td>'
    "<td>{{ row.responded }}</td><td>{{ row.rate }} %</td></tr>{% endfor %}"
)
PAIR_LOOP = Template(
    '{% for label, value in pairs %}<tr><th scope="row">{{ label }}</th>'
    "<td>{{ value }}</td></tr>{% endfor %}"
)


def test_rate_rows_are_what_the_template_wrote():
    rows = [
        {"key": "", "total": 3, "responded": 0, "rate": 0.0},
        {"key": "西湖区 <b>&", "total": 12345, "responded": 7, "rate": 56.7},
        {"key": '"区"', "total": 1, "responded": 1, "rate": 100.0},
        {"key": "x", "total": 0, "responded": 0, "rate": None},
    ]
    for language in ("en", "zh-hans"):
        with translation.override(language):
            html = rate_rows_html(rows, blank_key="—")
            assert html == RATE_LOOP.render(Context({"rows": rows}))
    assert "西湖区 &lt;b&gt;&amp;" in html and "<b>" not in html
    assert "&quot;区&quot;" in html


def test_grade_rows_show_the_grade():
    rows = [{"key": 1, "total": 2, "responded": 1, "rate": 50.0}]
    assert rate_rows_html(rows) == "<tr><td>1</td><td>2</td><td>1</td><td>50.0 %</td></tr>"


def test_pair_rows_are_what_the_template_wrote_and_escape_labels():
    pairs = [("<script>alert(1)</script>", 3), ("好 & 坏", 0), ("5", 12)]
    html = pair_rows_html(pairs)
    assert html == PAIR_LOOP.render(Context({"pairs": pairs}))
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert pair_rows_html([]) == ""
