"""The written-out SQL of the extranet home's surveys panel (extranet/surveys/home.py): it is
on the first page every retailer sees, so what it reads of the retailer's own surveys is one
statement, not one query per model.

`own_states` mirrors these two ORM reads, in one UNION ALL:

    SurveyResponse.objects.filter(retailer_id=…, survey_id__in=…).values_list("survey_id",
        "status")
    SurveyNotice.objects.filter(retailer_id=…, survey_id__in=…, seen_at__isnull=True)
        .values_list("survey_id", flat=True)

Plain SQL that SQLite and PostgreSQL both run.
"""

from django.db import connection

from extranet.surveys.models import SurveyNotice, SurveyResponse


def own_states(*, retailer_id: int, survey_ids: list[int]) -> tuple[dict[int, str], set[int]]:
    """For these surveys: the retailer's response status of each it has one of (draft or
    submitted), and the surveys it was notified of and has not opened yet (the notice not
    seen)."""
    if not survey_ids:
        return {}, set()
    marks = ", ".join(["%s"] * len(survey_ids))
    responses, notices = SurveyResponse._meta.db_table, SurveyNotice._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT survey_id, status FROM {responses}"  # noqa: S608 - table names and marks only
            f" WHERE retailer_id = %s AND survey_id IN ({marks})"
            " UNION ALL"
            f" SELECT survey_id, NULL FROM {notices}"
            f" WHERE retailer_id = %s AND survey_id IN ({marks}) AND seen_at IS NULL",
            [retailer_id, *survey_ids, retailer_id, *survey_ids],
        )
        rows = cursor.fetchall()
    statuses = {survey_id: status for survey_id, status in rows if status is not None}
    unseen = {survey_id for survey_id, status in rows if status is None}
    return statuses, unseen
