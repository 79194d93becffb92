"""What every market analysis dashboard is made of: the filters (a period and a region), and the
tables and charts it shows. Every figure is aggregated by the database (values().annotate());
Python only shapes the few aggregated rows for tables and charts."""

import html
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from portal.figures import CURRENCY, PLACES, figure_text


@dataclass
class Filters:
    start: date
    end: date
    region: str = ""

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """Exclusive upper bound: the day after `end`, at midnight."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def default_filters(today: date | None = None) -> Filters:
    today = today or timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    return Filters(start=start, end=today)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    page: object = None  # a Paginator page when the rows are one page of a longer list
    # The kind of each column's figures ("money", "count", "number", "score", "percent"; ""
    # for text), for pages and Excel alike (portal/figures.py); unnamed columns are guessed
    # from their values.
    kinds: list[str] = field(default_factory=list)

    def kind_of(self, index: int) -> str:
        return self.kinds[index] if index < len(self.kinds) else ""

    def body_html(self) -> SafeString:
        """The table's <tr> rows as pages show them: figures formatted as
        `portal.figures.figure_text` does, in cells of class "figure" (a column with a kind, or
        a number), no value as "—". Built in one pass: a template loop over every cell cost
        most of a dashboard's CPU."""
        text_of = _FigureText()
        kinds = [self.kind_of(index) for index in range(max(map(len, self.rows), default=0))]
        parts = []
        for row in self.rows:
            parts.append("<tr>")
            for kind, value in zip(kinds, row, strict=False):
                if type(value) is str:  # not a figure: most cells of the long lists
                    escaped = html.escape(value)
                    parts.append(
                        f'<td class="figure">{escaped}</td>' if kind else f"<td>{escaped}</td>"
                    )
                    continue
                figure = text_of(value, kind)
                if figure is not None:  # escaped already
                    parts.append(f'<td class="figure">{figure}</td>')
                elif value is None:
                    parts.append('<td class="figure">—</td>' if kind else "<td>—</td>")
                else:
                    parts.append(
                        f'<td class="figure">{_cell_text(value)}</td>'
                        if kind
                        else f"<td>{_cell_text(value)}</td>"
                    )
            parts.append("</tr>")
        return mark_safe("".join(parts))  # noqa: S308 (every cell is escaped by _cell_text)


def _cell_text(value) -> str:
    """A cell's value escaped as `{{ value }}` renders it (dates in the language's format)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(formats.localize(timezone.template_localtime(value)))


class _FigureText:
    """`portal.figures.figure_text` for many cells, escaped for HTML: the active language's
    separators read once and numbers formatted by Python's own grouping. Falls back to
    `figure_text` where the language groups other than by thousands."""

    def __init__(self):
        self.fast = formats.get_format("NUMBER_GROUPING") == 3
        self.separators = str.maketrans(
            {
                ",": html.escape(formats.get_format("THOUSAND_SEPARATOR")),
                ".": html.escape(formats.get_format("DECIMAL_SEPARATOR")),
            }
        )

    def __call__(self, value, kind: str = "") -> str | None:
        """The figure's text, or None for a value that is not a number."""
        if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return None
        if not self.fast:
            return html.escape(figure_text(value, kind))
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if not number.is_finite():
            return html.escape(figure_text(value, kind))
        if kind == "money":
            text = self._grouped(abs(number).quantize(_CENT), 2)
            return f"-{CURRENCY}{text}" if number < 0 else f"{CURRENCY}{text}"
        if kind == "count" or (kind not in PLACES and isinstance(value, int)):
            return self._grouped(number.quantize(_ONE), 0)
        number = number.quantize(_ONE.scaleb(-PLACES.get(kind, 2))).normalize()
        return self._grouped(number, max(0, -number.as_tuple().exponent))

    def _grouped(self, number: Decimal, places: int) -> str:
        if not number:
            number = _ZERO  # as Django's number_format: no "-0"
        return format(number, f",.{places}f").translate(self.separators)


_ZERO, _ONE, _CENT = Decimal("0"), Decimal("1"), Decimal("0.01")


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bar", "line", "pie"
    labels: list[str]
    datasets: list[dict]

    def as_json(self):
        return {
            "id": self.id,
            "title": self.title,
            "type": self.kind,
            "labels": self.labels,
            "datasets": [
                {"label": d["label"], "data": [float(v or 0) for v in d["data"]]}
                for d in self.datasets
            ],
        }


@dataclass
class Dashboard:
    slug: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""
    # When its figures may change though no data does (a call-back falling due); None: never.
    valid_until: datetime | None = None


def month_label(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m")
