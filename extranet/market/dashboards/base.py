"""What every market analysis dashboard is made of: the filters (a period and a region), and the
tables and charts it shows. Every figure is aggregated by the database (values().annotate());
Python only shapes the few aggregated rows for tables and charts."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from portal.figures import figure_text


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

    def display_rows(self):
        """The rows as pages show them: (text, kind) per cell, figures formatted."""
        return [
            [
                (figure_text(value, self.kind_of(index)), self.kind_of(index) or _kind_of(value))
                for index, value in enumerate(row)
            ]
            for row in self.rows
        ]


def _kind_of(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return ""
    return "count" if isinstance(value, int) else "number"


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


def month_label(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m")
