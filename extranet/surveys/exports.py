"""Excel export of a survey's submitted responses: one row per response, one column per
question. Text that a spreadsheet would read as a formula is neutralised."""

import io

from django.utils import timezone
from django.utils.translation import pgettext

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A string starting with = + - @ (or a tab/CR) is a formula to a spreadsheet: prefix it
    with an apostrophe so that it stays text (as portal/directory/exports.py does for CSV)."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _answer_value(question, answer):
    if answer is None:
        return ""
    if question.has_choices:
        labels = {choice.pk: choice.label for choice in question.choices.all()}
        return "; ".join(labels.get(choice.pk, "") for choice in answer.choices.all())
    if answer.number is not None:
        return float(answer.number)
    return answer.text


def xlsx_of(survey, questions, responses) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(pgettext("survey", "Responses"))
    header = [
        pgettext("survey", "Licence number"),
        pgettext("survey", "Store"),
        pgettext("survey", "Grade"),
        pgettext("survey", "Region"),
        pgettext("survey", "Submitted at"),
    ]
    sheet.append([safe_cell(value) for value in header + [q.text for q in questions]])
    for response in responses:
        answers = {answer.question_id: answer for answer in response.answers.all()}
        retailer = response.retailer
        submitted = timezone.localtime(response.submitted_at).replace(tzinfo=None)
        row = [retailer.licence_number, retailer.store_name, retailer.grade, retailer.region]
        row.append(submitted)
        row += [_answer_value(question, answers.get(question.pk)) for question in questions]
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
