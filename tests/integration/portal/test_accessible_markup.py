"""Markup that screen readers depend on, checked where it is cheap to check without a browser
(the axe-core sweep in tests/functional/portal/test_accessibility.py checks every page)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from extranet.surveys.models import Question
from tests.conftest import make_role_user, sign_in
from tests.factories.surveys import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def relative_luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_success_green_reads_on_its_tint_at_aa_contrast():
    """Status badges and success messages write var(--ok) on #e6f4ea."""
    css = (Path(settings.BASE_DIR) / "portal/static/portal/portal.css").read_text()
    ok = re.search(r"--ok:\s*(#[0-9a-fA-F]{6})", css).group(1)
    assert contrast(ok, "#e6f4ea") >= 4.5
    assert ".message-success { background: #e6f4ea; color: var(--ok); }" in css


def test_survey_answer_boxes_are_labelled_and_messages_stay_a_list(client, extranet):
    survey = SurveyFactory()
    single = QuestionFactory(survey=survey, kind=Question.Kind.SINGLE, labels=["好", "差"])
    text = QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT, required=False)
    sign_in(client, make_role_user("retailer"))
    html = client.get(f"/shop/surveys/{survey.pk}/").content.decode()
    # A lone box gets a label; a group of choices is named by its legend alone.
    assert f'<label for="id_q{text.pk}">' in html
    assert f'<label for="id_q{single.pk}">' not in html

    answered = client.post(f"/shop/surveys/{survey.pk}/", {"draft": "1"}, follow=True)
    assert '<div role="status"><ul class="messages">' in answered.content.decode()


def test_notice_form_labels_its_personal_recipients(client, intranet):
    sign_in(client, make_role_user("department_head"))
    html = client.get("/notices/new/").content.decode()
    assert '<label for="id_people">' in html and 'id="id_people"' in html


def test_reports_inbox_links_are_a_plain_list(client, intranet):
    sign_in(client, make_role_user("employee"))
    html = client.get("/documents/reports/").content.decode()
    assert '<ul class="filters">' in html and 'role="tablist"' not in html
