"""The structured form of a report type: its schema, the form fields it makes, and how a
report's answers are shown.

A report type's `fields` is a list of field specifications kept as JSON, so that administrators
edit it in Wagtail admin without a migration:

    {"name": "batch", "label": "批次", "label_en": "Batch", "kind": "text", "required": true}

`kind` is one of text, textarea, number, date, choice (with "choices": a list of strings or of
{"value", "label", "label_en"}) and table (with "columns": a list of {"name", "label",
"label_en", "kind"} where kind is text, number or date, and an optional "max_rows"). Labels are
kept in Chinese and English, like every bilingual name of the portal. A type without fields
keeps the generic form (title, period, content).

Answers are kept on the report as JSON too (`CircularReport.data`): strings for single values
(numbers as their decimal text, dates in ISO form) and a list of rows (dicts by column name) for
tables. This module is the one place that knows the format; a separate module because forms,
models, selectors and the admin all use it.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

KINDS = ("text", "textarea", "number", "date", "choice", "table")
COLUMN_KINDS = ("text", "number", "date")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 40
DEFAULT_MAX_ROWS = 30
MAX_ROWS_LIMIT = 200
BLANK_ROWS = 3  # empty rows offered below the filled ones
TEXT_MAX_LENGTH = 500
TEXTAREA_MAX_LENGTH = 5000
NUMBER_MAX_DIGITS, NUMBER_DECIMAL_PLACES = 18, 4


def bilingual(item: dict, key: str = "label") -> str:
    """An item's label in the reader's language: English when asked for and given."""
    english = item.get(f"{key}_en")
    if english and (get_language() or "").startswith("en"):
        return english
    return item.get(key) or item.get("name") or ""


# Validation of a schema (the model field's validator, so Wagtail admin shows the errors)


def _check_label(item: dict, where: str, errors: list) -> None:
    if not isinstance(item.get("label"), str) or not item["label"].strip():
        errors.append(_("%(where)s: give a label.") % {"where": where})
    if "label_en" in item and not isinstance(item["label_en"], str):
        errors.append(_("%(where)s: the English label must be text.") % {"where": where})


def _check_name(item: dict, where: str, seen: set, errors: list) -> None:
    name = item.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        errors.append(
            _(
                "%(where)s: the name must start with a lower-case letter and use only a-z, 0-9 "
                "and _ (at most 40)."
            )
            % {"where": where}
        )
    elif name in seen:
        errors.append(
            _("%(where)s: the name %(name)s is used twice.") % {"where": where, "name": name}
        )
    else:
        seen.add(name)


def _check_choices(item: dict, where: str, errors: list) -> None:
    choices = item.get("choices")
    if not isinstance(choices, list) or not choices:
        errors.append(_("%(where)s: a choice needs a list of choices.") % {"where": where})
        return
    values = set()
    for choice in choices:
        if isinstance(choice, str) and choice.strip():
            value = choice
        elif isinstance(choice, dict) and isinstance(choice.get("value"), str) and choice["value"]:
            value = choice["value"]
            _check_label(choice, where, errors)
        else:
            errors.append(
                _("%(where)s: each choice is a text or a {value, label, label_en} object.")
                % {"where": where}
            )
            return
        if value in values:
            errors.append(_("%(where)s: a choice is listed twice.") % {"where": where})
        values.add(value)


def _check_columns(item: dict, where: str, errors: list) -> None:
    columns = item.get("columns")
    if not isinstance(columns, list) or not columns:
        errors.append(_("%(where)s: a table needs a list of columns.") % {"where": where})
        return
    seen: set = set()
    for number, column in enumerate(columns, start=1):
        at = _("%(where)s, column %(number)d") % {"where": where, "number": number}
        if not isinstance(column, dict):
            errors.append(_("%(where)s: a column is an object.") % {"where": at})
            continue
        _check_name(column, at, seen, errors)
        _check_label(column, at, errors)
        if column.get("kind", "text") not in COLUMN_KINDS:
            errors.append(
                _("%(where)s: the kind must be one of %(kinds)s.")
                % {"where": at, "kinds": ", ".join(COLUMN_KINDS)}
            )
    max_rows = item.get("max_rows", DEFAULT_MAX_ROWS)
    if not isinstance(max_rows, int) or isinstance(max_rows, bool) or not 1 <= max_rows <= 200:
        errors.append(_("%(where)s: max_rows must be a number from 1 to 200.") % {"where": where})


def validate_report_schema(value) -> None:
    """Refuse a schema a form cannot be made from, saying where the mistake is."""
    if value in (None, ""):
        return
    if not isinstance(value, list):
        raise ValidationError(_("The form fields must be a list of field objects."))
    if len(value) > MAX_FIELDS:
        raise ValidationError(_("At most %(count)d fields.") % {"count": MAX_FIELDS})
    errors: list = []
    seen: set = set()
    for number, item in enumerate(value, start=1):
        where = _("Field %(number)d") % {"number": number}
        if not isinstance(item, dict):
            errors.append(_("%(where)s: a field is an object.") % {"where": where})
            continue
        _check_name(item, where, seen, errors)
        _check_label(item, where, errors)
        kind = item.get("kind")
        if kind not in KINDS:
            errors.append(
                _("%(where)s: the kind must be one of %(kinds)s.")
                % {"where": where, "kinds": ", ".join(KINDS)}
            )
        elif kind == "choice":
            _check_choices(item, where, errors)
        elif kind == "table":
            _check_columns(item, where, errors)
        if "required" in item and not isinstance(item["required"], bool):
            errors.append(_("%(where)s: required is true or false.") % {"where": where})
    if errors:
        raise ValidationError(errors)


# Form fields


def _choices(spec: dict) -> list[tuple[str, str]]:
    return [
        (choice, choice) if isinstance(choice, str) else (choice["value"], bilingual(choice))
        for choice in spec.get("choices", [])
    ]


class DateInput(forms.DateInput):
    input_type = "date"


def _decimal_text(value: Decimal) -> str:
    # "12.50" → "12.5", "100" stays "100" (normalize() would give "1E+2").
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class TableWidget(forms.Widget):
    """A grid of inputs, one row per table row: `<name>-<row>-<column>`. Rows already filled
    are shown with a few empty ones below them."""

    def __init__(self, columns, max_rows, attrs=None):
        super().__init__(attrs)
        self.columns = columns
        self.max_rows = max_rows

    def value_from_datadict(self, data, files, name):
        rows = []
        for row in range(self.max_rows):
            rows.append(
                {
                    column["name"]: (data.get(f"{name}-{row}-{column['name']}") or "").strip()
                    for column in self.columns
                }
            )
        return rows

    def value_omitted_from_data(self, data, files, name):
        return not any(key.startswith(f"{name}-") for key in data)

    def render(self, name, value, attrs=None, renderer=None):
        rows = [row for row in (value or []) if isinstance(row, dict)]
        shown = min(self.max_rows, max(len(rows) + BLANK_ROWS, BLANK_ROWS + 2))
        head = format_html_join(
            "", "<th scope='col'>{}</th>", ((bilingual(c),) for c in self.columns)
        )
        body = []
        for row in range(shown):
            values = rows[row] if row < len(rows) else {}
            cells = format_html_join(
                "",
                "<td><input type='{}' name='{}-{}-{}' value='{}' aria-label='{} {}'{}></td>",
                (
                    (
                        "date" if column.get("kind") == "date" else "text",
                        name,
                        row,
                        column["name"],
                        values.get(column["name"], ""),
                        bilingual(column),
                        row + 1,
                        " inputmode='decimal'" if column.get("kind") == "number" else "",
                    )
                    for column in self.columns
                ),
            )
            body.append(format_html("<tr>{}</tr>", cells))
        element_id = (attrs or {}).get("id", name)
        return format_html(
            "<div class='table-wrap'><table class='data report-table' id='{}'><thead><tr>{}</tr>"
            "</thead><tbody>{}</tbody></table></div>",
            element_id,
            head,
            format_html_join("", "{}", ((row,) for row in body)),
        )


class TableField(forms.Field):
    """Rows of a table: empty rows are dropped, each cell is checked by its column's kind."""

    default_error_messages = {
        "required": gettext_lazy("Fill in at least one row."),
        "too_many": gettext_lazy("At most %(count)d rows."),
    }

    def __init__(self, *, columns, max_rows=DEFAULT_MAX_ROWS, **kwargs):
        self.columns = columns
        self.max_rows = max_rows
        kwargs.setdefault("widget", TableWidget(columns, max_rows))
        super().__init__(**kwargs)

    def to_python(self, value):
        rows = [row for row in (value or []) if isinstance(row, dict) and any(row.values())]
        cleaned, errors = [], []
        for number, row in enumerate(rows, start=1):
            out = {}
            for column in self.columns:
                raw = str(row.get(column["name"], "") or "").strip()
                out[column["name"]] = raw
                if not raw:
                    continue
                label = bilingual(column)
                if column.get("kind") == "number":
                    try:
                        out[column["name"]] = _decimal_text(Decimal(raw.replace(",", "")))
                    except InvalidOperation:
                        errors.append(
                            _("Row %(row)d, %(column)s: enter a number.")
                            % {"row": number, "column": label}
                        )
                elif column.get("kind") == "date":
                    try:
                        out[column["name"]] = date.fromisoformat(raw).isoformat()
                    except ValueError:
                        errors.append(
                            _("Row %(row)d, %(column)s: enter a date as YYYY-MM-DD.")
                            % {"row": number, "column": label}
                        )
                elif len(raw) > TEXT_MAX_LENGTH:
                    errors.append(
                        _("Row %(row)d, %(column)s: at most %(count)d characters.")
                        % {"row": number, "column": label, "count": TEXT_MAX_LENGTH}
                    )
            cleaned.append(out)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_rows:
            raise ValidationError(
                self.error_messages["too_many"] % {"count": self.max_rows}, code="too_many"
            )


def form_field(spec: dict) -> forms.Field:
    """The Django form field of one specification, labelled in the reader's language."""
    common = {"label": bilingual(spec), "required": bool(spec.get("required"))}
    if spec.get("help"):
        common["help_text"] = bilingual(spec, "help")
    kind = spec["kind"]
    if kind == "textarea":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXTAREA_MAX_LENGTH, **common
        )
    if kind == "number":
        return forms.DecimalField(
            max_digits=NUMBER_MAX_DIGITS,
            decimal_places=NUMBER_DECIMAL_PLACES,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if kind == "date":
        return forms.DateField(widget=DateInput, **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *_choices(spec)], **common)
    if kind == "table":
        return TableField(
            columns=spec["columns"], max_rows=spec.get("max_rows", DEFAULT_MAX_ROWS), **common
        )
    return forms.CharField(max_length=TEXT_MAX_LENGTH, **common)


FIELD_PREFIX = "f_"  # form field names of the schema, apart from title, period, body, attachments


def stored_value(spec: dict, value):
    """A cleaned form value as kept in the report's JSON."""
    if value in (None, ""):
        return [] if spec["kind"] == "table" else ""
    if spec["kind"] == "number":
        return _decimal_text(value)
    if spec["kind"] == "date":
        return value.isoformat()
    return value


def initial_value(spec: dict, value):
    """A stored value as a form's initial value."""
    if spec["kind"] == "table":
        return value if isinstance(value, list) else []
    return value if value not in (None,) else ""


# Display of a report's answers


@dataclass(frozen=True)
class Answer:
    label: str
    kind: str
    text: str = ""
    columns: tuple = ()
    rows: tuple = ()

    @property
    def is_table(self) -> bool:
        return self.kind == "table"


def _format(kind: str, raw, spec: dict | None = None) -> str:
    if raw in (None, ""):
        return ""
    if kind == "number":
        try:
            return formats.number_format(Decimal(str(raw)), use_l10n=True, force_grouping=True)
        except InvalidOperation:
            return str(raw)
    if kind == "date":
        try:
            return formats.date_format(date.fromisoformat(str(raw)), "DATE_FORMAT")
        except ValueError:
            return str(raw)
    if kind == "choice" and spec is not None:
        return dict(_choices(spec)).get(raw, str(raw))
    return str(raw)


def answers(schema: list, data: dict) -> list[Answer]:
    """The answers of a report in the schema's order, formatted for reading (numbers grouped,
    dates and choices in the reader's language). Answers to fields since removed from the type
    are still shown, under their name."""
    data = data if isinstance(data, dict) else {}
    shown = []
    for spec in schema or []:
        value = data.get(spec["name"])
        if spec["kind"] == "table":
            columns = spec.get("columns", [])
            rows = tuple(
                tuple(
                    (_format(c.get("kind", "text"), row.get(c["name"])), c.get("kind") == "number")
                    for c in columns
                )
                for row in (value or [])
                if isinstance(row, dict)
            )
            shown.append(
                Answer(
                    bilingual(spec),
                    "table",
                    columns=tuple(
                        (bilingual(c), c.get("kind", "text") == "number") for c in columns
                    ),
                    rows=rows,
                )
            )
        else:
            shown.append(Answer(bilingual(spec), spec["kind"], _format(spec["kind"], value, spec)))
    known = {spec["name"] for spec in schema or []}
    for name, value in data.items():
        if name not in known and value not in (None, "", []):
            shown.append(Answer(name, "text", str(value)))
    return shown
