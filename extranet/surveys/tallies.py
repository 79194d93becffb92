"""The survey results page's tallies in one written-out SQL statement (issue 18): what
`selectors.question_results` and `selectors.response_rates` read with three ORM queries, whose
building cost more than the database's work.

The statement is three SELECTs joined by UNION ALL, told apart by their first column (the
rates' responded count rides in the column of the smallest number):

* part 0, per question (and per rating, for rating questions): the submitted answers' count
  and the average, smallest and largest number — the ORM rule
  ``Answer.objects.filter(response__status="submitted", question__survey_id=survey.pk)
  .values("question_id", rating).annotate(n=Count("pk"), average=Avg("number"),
  low=Min("number"), high=Max("number"))``, where rating is the number of a rating question;
* part 1, per choice: how many submitted answers chose it — ``Answer.choices.through.objects
  .filter(answer__response__status="submitted", answer__question__survey_id=survey.pk)
  .values_list("choice_id").annotate(n=Count("pk"))``;
* part 2, per region and grade of the survey's audience (`selectors.audience_retailers`): the
  retailers and those that submitted a response — ``audience_retailers(survey).values("region",
  "grade").annotate(total=Count("pk"), responded=Count("pk", filter=Q(Exists(submitted))))
  .order_by("region", "grade")``.

The results are the selectors' own, built the same way from the rows: only submitted responses
count; regions are in the database's order, grades in number order. It runs on SQLite and
PostgreSQL alike (SQLite returns numbers as floats, converted to Decimal as the ORM does)."""

from decimal import Context, Decimal

from django.db import connection

from extranet.surveys.models import Question, Survey, SurveyResponse
from extranet.surveys.selectors import CRITERIA, _rate, audience_criteria, question_result_items

SUBMITTED = SurveyResponse.Status.SUBMITTED

ANSWERS = """
SELECT 0, a.question_id, CASE WHEN q.kind = %s THEN a.number END,
       COUNT(*), AVG(a.number), MIN(a.number), MAX(a.number), NULL
FROM extranet_answer a
JOIN extranet_question q ON q.id = a.question_id
JOIN extranet_surveyresponse r ON r.id = a.response_id
WHERE q.survey_id = %s AND r.status = %s
GROUP BY 2, 3
UNION ALL
SELECT 1, ac.choice_id, NULL, COUNT(*), NULL, NULL, NULL, NULL
FROM extranet_answer_choices ac
JOIN extranet_answer a ON a.id = ac.answer_id
JOIN extranet_question q ON q.id = a.question_id
JOIN extranet_surveyresponse r ON r.id = a.response_id
WHERE q.survey_id = %s AND r.status = %s
GROUP BY ac.choice_id"""

RATES = """
UNION ALL
SELECT 2, t.grade, NULL, t.total, NULL, t.responded, NULL, t.region
FROM (
  SELECT rt.region AS region, rt.grade AS grade, COUNT(*) AS total,
         SUM(CASE WHEN EXISTS (
           SELECT 1 FROM extranet_surveyresponse s
           WHERE s.retailer_id = rt.id AND s.survey_id = %s AND s.status = %s
         ) THEN 1 ELSE 0 END) AS responded
  FROM extranet_retailer rt
  WHERE {audience}
  GROUP BY rt.region, rt.grade
) t"""

# The retailer's columns that the kinds of audience criteria match (selectors.CRITERIA).
CRITERION_COLUMNS = {
    "grade": "rt.grade",
    "region": "rt.region",
    "route_id": "rt.route_id",
    "pk": "rt.id",
}

# Floats from SQLite become Decimals as the ORM's DecimalField converter makes them.
_FLOATS = Context(prec=15)
_CENTS = Decimal("0.01")


def _decimal(value, *, places: bool):
    if value is None or isinstance(value, Decimal):
        return value
    number = _FLOATS.create_decimal_from_float(value)
    return number.quantize(_CENTS, context=_FLOATS) if places else number


def _audience(survey) -> tuple[str, list] | None:
    """The WHERE clause picking the survey's audience from `extranet_retailer rt`, with its
    parameters (as `selectors.audience_retailers`), or None when the audience is empty."""
    if survey.audience == Survey.Audience.ALL:
        return "1 = 1", []
    criteria = audience_criteria(survey)
    if not criteria:
        return None
    clauses, parameters = [], []
    for kind, values in sorted(criteria.items()):
        values = sorted(values)
        column = CRITERION_COLUMNS[CRITERIA[kind][2]]
        clauses.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        parameters.extend(values)
    return " AND ".join(clauses), parameters


def _rows(survey):
    sql = ANSWERS
    parameters = [Question.Kind.RATING, survey.pk, SUBMITTED, survey.pk, SUBMITTED]
    audience = _audience(survey)
    if audience is not None:
        where, audience_parameters = audience
        sql += RATES.format(audience=where)
        parameters += [survey.pk, SUBMITTED, *audience_parameters]
    sql += "\nORDER BY 1, 8, 2"
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()


def survey_tallies(survey, questions) -> tuple[list[dict], dict]:
    """(`selectors.question_results(survey, questions)`, `selectors.response_rates(survey)`)
    from one statement."""
    choice_counts, ratings, stats = {}, {}, {}
    overall = {"total": 0, "responded": 0}
    by_grade, by_region = {}, {}
    for part, key, rating, n, average, low, high, region in _rows(survey):
        if part == 0:
            if rating is not None:
                ratings.setdefault(key, {})[int(rating)] = n
            if key in stats:  # a rating question: one row per rating
                stats[key]["n"] += n
            else:
                stats[key] = {
                    "question_id": key,
                    "rating": _decimal(rating, places=True),
                    "n": n,
                    "average": _decimal(average, places=False),
                    "low": _decimal(low, places=True),
                    "high": _decimal(high, places=True),
                }
        elif part == 1:
            choice_counts[key] = n
        else:
            responded = int(low)
            for sums, field, value in ((by_region, "region", region), (by_grade, "grade", key)):
                row = sums.setdefault(
                    value, {field: value, "total": 0, "responded": 0, "key": value}
                )
                row["total"] += n
                row["responded"] += responded
            overall["total"] += n
            overall["responded"] += responded
    return question_result_items(questions, choice_counts, ratings, stats), _rates(
        overall, by_grade, by_region
    )


def _rates(overall, by_grade, by_region) -> dict:
    def rows(sums):
        for row in sums:
            row["rate"] = _rate(row["responded"], row["total"])
        return sums

    overall["rate"] = _rate(overall["responded"], overall["total"])
    return {
        "overall": overall,
        "by_grade": rows([by_grade[grade] for grade in sorted(by_grade)]),
        "by_region": rows(list(by_region.values())),
    }
