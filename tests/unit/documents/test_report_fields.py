"""The schema of a report type's form: its validation, the fields it makes, the display."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from documents.circulation import report_fields
from documents.circulation.report_fields import (
    TableField,
    answers,
    form_field,
    validate_report_schema,
)
from documents.circulation.report_types import DEFAULT_SCHEMAS

TABLE = {
    "name": "lines",
    "label": "明细",
    "label_en": "Lines",
    "kind": "table",
    "required": True,
    "columns": [
        {"name": "material", "label": "物料", "label_en": "Material", "kind": "text"},
        {"name": "quantity", "label": "数量", "label_en": "Quantity", "kind": "number"},
        {"name": "needed_by", "label": "日期", "label_en": "Needed by", "kind": "date"},
    ],
    "max_rows": 3,
}


def test_every_seeded_schema_is_valid():
    for schema in DEFAULT_SCHEMAS.values():
        validate_report_schema(schema)
    assert "other" not in DEFAULT_SCHEMAS  # "other" keeps the generic form


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"name": "x"}, "must be a list"),
        ([{"name": "Batch", "label": "批次", "kind": "text"}], "lower-case letter"),
        ([{"name": "a", "label": "", "kind": "text"}], "give a label"),
        ([{"name": "a", "label": "A", "kind": "colour"}], "the kind must be one of"),
        ([{"name": "a", "label": "A", "kind": "choice"}], "a choice needs a list"),
        ([{"name": "a", "label": "A", "kind": "table", "columns": []}], "needs a list of columns"),
        (
            [
                {"name": "a", "label": "A", "kind": "text"},
                {"name": "a", "label": "B", "kind": "text"},
            ],
            "used twice",
        ),
        (
            [
                {
                    "name": "a",
                    "label": "A",
                    "kind": "table",
                    "columns": [{"name": "c", "label": "C", "kind": "choice"}],
                }
            ],
            "column 1: the kind must be one of",
        ),
        ([{"name": "a", "label": "A", "kind": "text", "required": "yes"}], "true or false"),
    ],
)
def test_a_broken_schema_is_refused_saying_where(schema, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_report_schema(schema)
    assert message in " ".join(refused.value.messages)


def test_table_rows_are_cleaned_by_column_kind_and_empty_rows_dropped():
    field = TableField(columns=TABLE["columns"], max_rows=3, required=True)
    rows = field.clean(
        [
            {"material": "烟叶", "quantity": "1,200.50", "needed_by": "2026-12-01"},
            {"material": "", "quantity": "", "needed_by": ""},
            {"material": "滤棒", "quantity": "30", "needed_by": ""},
        ]
    )
    assert rows == [
        {"material": "烟叶", "quantity": "1200.5", "needed_by": "2026-12-01"},
        {"material": "滤棒", "quantity": "30", "needed_by": ""},
    ]


def test_bad_cells_are_named_by_row_and_column():
    field = TableField(columns=TABLE["columns"], max_rows=3, required=True)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        field.clean([{"material": "烟叶", "quantity": "lots", "needed_by": "next week"}])
    assert refused.value.messages == [
        "Row 1, Quantity: enter a number.",
        "Row 1, Needed by: enter a date as YYYY-MM-DD.",
    ]
    with translation.override("en"):
        with pytest.raises(ValidationError) as empty:
            field.clean([{"material": "", "quantity": "", "needed_by": ""}])
        assert empty.value.messages == ["Fill in at least one row."]


def test_the_table_widget_reads_its_grid_of_inputs():
    field = form_field(TABLE)
    data = {"f_lines-0-material": "烟叶", "f_lines-0-quantity": "5", "f_lines-2-material": "滤棒"}
    rows = field.widget.value_from_datadict(data, {}, "f_lines")
    assert len(rows) == 3
    assert rows[0] == {"material": "烟叶", "quantity": "5", "needed_by": ""}
    html = field.widget.render("f_lines", [{"material": "烟<叶>"}])
    assert "烟&lt;叶&gt;" in html and 'name="f_lines-0-material"' not in html
    assert "name='f_lines-0-material'" in html and "type='date'" in html


def test_labels_follow_the_reader_s_language():
    with translation.override("en"):
        assert form_field(TABLE).label == "Lines"
    with translation.override("zh-hans"):
        assert form_field(TABLE).label == "明细"


def test_answers_are_formatted_for_reading():
    schema = [
        {"name": "rate", "label": "合格率", "label_en": "Pass rate", "kind": "number"},
        {"name": "on", "label": "日期", "label_en": "Date", "kind": "date"},
        {
            "name": "conclusion",
            "label": "结论",
            "label_en": "Conclusion",
            "kind": "choice",
            "choices": [{"value": "pass", "label": "合格", "label_en": "Pass"}],
        },
        TABLE,
    ]
    data = {
        "rate": "12345.5",
        "on": "2026-11-20",
        "conclusion": "pass",
        "lines": [{"material": "烟叶", "quantity": "1200", "needed_by": ""}],
        "removed_field": "kept",
    }
    with translation.override("en"):
        shown = answers(schema, data)
    assert [a.label for a in shown] == ["Pass rate", "Date", "Conclusion", "Lines", "removed_field"]
    assert shown[0].text == "12,345.5"
    assert shown[1].text == "Nov. 20, 2026"
    assert shown[2].text == "Pass"
    assert shown[3].columns == (("Material", False), ("Quantity", True), ("Needed by", False))
    assert shown[3].rows == ((("烟叶", False), ("1,200", True), ("", False)),)
    with translation.override("zh-hans"):
        assert answers(schema, data)[2].text == "合格"


def test_stored_values_are_plain_json():
    number = {"name": "n", "label": "N", "kind": "number"}
    assert report_fields.stored_value(number, Decimal("100")) == "100"
    assert report_fields.stored_value(number, Decimal("2.50")) == "2.5"
    assert (
        report_fields.stored_value({"name": "d", "label": "D", "kind": "date"}, date(2026, 1, 2))
        == "2026-01-02"
    )
    assert report_fields.stored_value(TABLE, None) == []
