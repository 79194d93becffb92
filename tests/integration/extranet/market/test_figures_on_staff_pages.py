"""Money and counts on the analysis and effective-complaints pages read ¥147,260.01 and
12,345; their Excel exports keep numbers with number formats; survey bounds read 0–200."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from extranet.feedback.models import Feedback
from portal.permissions import Role
from tests.conftest import make_role_user
from tests.factories.extranet import (
    BrandFactory,
    FeedbackFactory,
    OrderFactory,
    OrderingRetailerFactory,
    ProductFactory,
)
from tests.factories.people import (
    EmployeeFactory,
    RetailerFactory,
    RetailerLoginFactory,
    UserFactory,
)
from tests.factories.surveys import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, intranet):
    employee = EmployeeFactory(user=UserFactory(roles=[Role.SALES_ADMINISTRATOR]))
    client.force_login(employee.user)
    return client


@pytest.fixture
def big_sale():
    product = ProductFactory(brand=BrandFactory(name="利群"), wholesale_price=Decimal("1472.60"))
    retailer = OrderingRetailerFactory(region="西湖区")
    OrderFactory(retailer=retailer, lines=[(product, 100)])
    return product


def test_analysis_shows_money_with_yuan_sign_and_separators(analyst, big_sale):
    html = analyst.get(reverse("sales:analysis", args=["sales"])).content.decode()
    assert '<td class="figure">¥147,260.00</td>' in html
    assert '<td class="figure">100</td>' in html
    assert not re.search(r"<td[^>]*>[^<]*\d\.\d{3,}", html)


def test_analysis_excel_keeps_numbers_with_number_formats(analyst, big_sale):
    export = analyst.get(reverse("sales:analysis", args=["sales"]) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    brand, cartons, amount = sheet[2]
    assert brand.value == "利群"
    assert (cartons.value, cartons.number_format) == (100, "#,##0")
    assert amount.value == pytest.approx(147260.0)
    assert amount.number_format == '"¥"#,##0.00'


def test_effective_complaints_counts_are_figures(client, intranet):
    client.force_login(make_role_user("sales_administrator"))
    FeedbackFactory(kind=Feedback.Kind.COMPLAINT, is_effective_complaint=True)
    html = client.get(reverse("sales:feedback_effective")).content.decode()
    assert '<td class="figure">1</td>' in html


@pytest.fixture
def number_question():
    return QuestionFactory(
        kind="number", min_value=Decimal("0"), max_value=Decimal("200"), text="月销量（条）"
    )


def test_survey_answer_form_shows_bounds_without_needless_decimals(
    client, extranet, number_question
):
    login = RetailerLoginFactory(retailer=RetailerFactory(grade=3))
    client.force_login(login.user)
    html = client.get(reverse("shop:survey", args=[number_question.survey.pk])).content.decode()
    assert 'min="0"' in html and 'max="200"' in html
    assert "From 0 to 200." in html or "范围：0–200。" in html
    assert "0.00" not in html and "200.00" not in html


def test_staff_survey_pages_show_bounds_without_needless_decimals(
    client, intranet, number_question
):
    client.force_login(make_role_user("sales_administrator"))
    survey = number_question.survey
    detail = client.get(reverse("sales:survey", args=[survey.pk])).content.decode()
    assert "0–200" in detail and "200.00" not in detail
    edit = client.get(
        reverse("sales:question_edit", args=[survey.pk, number_question.pk])
    ).content.decode()
    assert 'value="200"' in edit and 'value="200.00"' not in edit
