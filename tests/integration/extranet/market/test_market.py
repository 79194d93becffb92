"""Market information: submission on both faces, the review (approve, reject with a reason, ask
for more information and resubmission), the restricted routing of suspected counterfeit or
smuggled goods, and bad input."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from extranet.market.models import MarketReport, MarketReportEvent, MarketReportPhoto
from extranet.market.services import report_review
from portal.permissions import Role
from portal.refusals import Refusal
from tests.factories.extranet import OrderingRetailerFactory, ProductFactory
from tests.factories.files import png_bytes
from tests.factories.market import MarketReportFactory
from tests.factories.people import (
    DepartmentFactory,
    EmployeeFactory,
    RetailerLoginFactory,
    UserFactory,
)
from tests.querycount import assert_bounded_queries
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

PNG = png_bytes()


def employee_with(*roles):
    return EmployeeFactory(user=UserFactory(roles=list(roles))).user


@pytest.fixture
def people():
    sales = DepartmentFactory(code="sales")
    sales.head = EmployeeFactory(department=sales)
    sales.save()
    retailer = OrderingRetailerFactory(region="西湖区")
    return {
        "login": RetailerLoginFactory(retailer=retailer),
        "retailer": retailer,
        "head": sales.head.user,
        "admin": employee_with(Role.SALES_ADMINISTRATOR),
        "am": employee_with(Role.ACCOUNT_MANAGER),
        "other_am": employee_with(Role.ACCOUNT_MANAGER),
        "sysadmin": employee_with(Role.SYSTEM_ADMINISTRATOR),
    }


def xlsx_text(response):
    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_retailer_submits_reviewer_asks_retailer_adds_and_approval(
    client, settings, people, django_capture_on_commit_callbacks
):
    from tests.conftest import set_face

    product = ProductFactory()
    set_face(settings, "extranet")
    client.force_login(people["login"].user)
    response = client.post(
        reverse("shop:market_new"),
        {
            "kind": "shelf_price",
            "observed_on": timezone.localdate().isoformat(),
            "location": "解放路12号",
            "product": product.pk,
            "price": "268.00",
            "description": "货架价格高于建议零售价",
            "photos": [SimpleUploadedFile("shelf.png", PNG, content_type="image/png")],
        },
    )
    report = MarketReport.objects.get()
    assert response["Location"] == reverse("shop:market_report", args=[report.pk])
    assert report.status == "submitted" and not report.is_restricted
    assert report.region == "西湖区" and report.retailer == people["retailer"]
    photo = report.photos.get()
    served = client.get(reverse("shop:market_photo", args=[report.pk, photo.pk]))
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"

    set_face(settings, "intranet")
    client.force_login(people["admin"])
    page = client.get(reverse("sales:market")).content.decode()
    assert report.number in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("sales:market_review", args=[report.pk]),
            {"decision": "ask", "note": "请补充店名"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "info_requested" and report.review_note == "请补充店名"
    run_worker("default")
    assert mail.outbox[-1].to == [people["login"].user.email]

    set_face(settings, "extranet")
    client.force_login(people["login"].user)
    page = client.get(reverse("shop:market_report", args=[report.pk])).content.decode()
    assert "请补充店名" in page and "More information requested" in page
    response = client.post(
        reverse("shop:market_add_info", args=[report.pk]), {"text": "店名：张记烟酒"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"

    set_face(settings, "intranet")
    client.force_login(people["admin"])
    client.post(reverse("sales:market_review", args=[report.pk]), {"decision": "approve"})
    report.refresh_from_db()
    assert report.status == "approved" and report.reviewed_by == people["admin"]
    assert list(report.events.values_list("kind", flat=True)) == [
        "submitted",
        "info_requested",
        "resubmitted",
        "approved",
    ]
    set_face(settings, "extranet")
    client.force_login(people["login"].user)
    page = client.get(reverse("shop:market")).content.decode()
    assert report.number in page and "Approved" in page


def test_reject_needs_a_reason_and_a_decided_report_cannot_be_decided_again(
    client, intranet, people
):
    report = MarketReportFactory()
    client.force_login(people["admin"])
    url = reverse("sales:market_review", args=[report.pk])
    response = client.post(url, {"decision": "reject", "note": "  "})
    assert response.status_code == 400
    assert "Required to reject" in response.content.decode()
    assert client.post(url, {"decision": "nonsense"}).status_code == 400
    report.refresh_from_db()
    assert report.status == "submitted" and not report.events.exists()
    client.post(url, {"decision": "reject", "note": "重复上报"})
    report.refresh_from_db()
    assert report.status == "rejected" and report.review_note == "重复上报"
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "not awaiting review" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "rejected"
    with pytest.raises(Refusal):
        report_review(report=report, actor=people["admin"], decision="approve")


def test_account_manager_submits_on_the_intranet_and_cannot_review(client, intranet, people):
    product = ProductFactory()
    client.force_login(people["am"])
    response = client.post(
        reverse("sales:market_new"),
        {
            "kind": "competitor",
            "observed_on": timezone.localdate().isoformat(),
            "location": "城东批发市场",
            "product": product.pk,
            "description": "竞品买一送一",
        },
    )
    report = MarketReport.objects.get()
    assert response["Location"] == reverse("sales:market_report", args=[report.pk])
    assert report.submitted_by == people["am"] and report.retailer is None
    response = client.post(
        reverse("sales:market_review", args=[report.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    # Another account manager does not see it.
    client.force_login(people["other_am"])
    assert client.get(reverse("sales:market_report", args=[report.pk])).status_code == 404
    assert report.number not in client.get(reverse("sales:market")).content.decode()


def test_bad_input_is_refused_and_changes_nothing(client, extranet, people):
    client.force_login(people["login"].user)
    today = timezone.localdate()
    base = {"kind": "shelf_price", "location": "x", "description": "y"}
    cases = [
        {**base, "observed_on": (today + timedelta(days=1)).isoformat(), "price": "1"},
        {**base, "observed_on": today.isoformat()},  # a shelf price without product and price
        {**base, "kind": "nonsense", "observed_on": today.isoformat()},
        {**base, "kind": "other", "observed_on": "not a date"},
        {**base, "kind": "other", "observed_on": today.isoformat(), "price": "-5"},
        {**base, "kind": "demand", "observed_on": today.isoformat()},  # no brand named
        {**base, "kind": "other", "observed_on": today.isoformat(), "description": "   "},
    ]
    for data in cases:
        response = client.post(reverse("shop:market_new"), data)
        assert response.status_code == 400, data
    response = client.post(
        reverse("shop:market_new"),
        {
            **base,
            "kind": "other",
            "observed_on": today.isoformat(),
            "photos": [SimpleUploadedFile("a.html", b"<b>")],
        },
    )
    assert response.status_code == 400 and "cannot be uploaded" in response.content.decode()
    assert not MarketReport.objects.exists() and not MarketReportPhoto.objects.exists()
    # Adding information when none was asked for, or empty information.
    report = MarketReportFactory(retailer=people["retailer"])
    url = reverse("shop:market_add_info", args=[report.pk])
    assert client.post(url, {"text": " "}).status_code == 400
    response = client.post(url, {"text": "more"}, follow=True)
    assert "No information was requested" in response.content.decode()
    assert not MarketReportEvent.objects.exists()
    report.refresh_from_db()
    assert report.status == "submitted"


def test_another_retailers_report_answers_404(client, extranet, people):
    other = MarketReportFactory()
    photo = MarketReportPhoto.objects.create(report=other, file="x.png", name="x.png")
    client.force_login(people["login"].user)
    assert client.get(reverse("shop:market_report", args=[other.pk])).status_code == 404
    assert client.get(reverse("shop:market_photo", args=[other.pk, photo.pk])).status_code == 404
    response = client.post(reverse("shop:market_add_info", args=[other.pk]), {"text": "x"})
    assert response.status_code == 404
    assert other.number not in client.get(reverse("shop:market")).content.decode()


def test_counterfeit_reports_are_restricted_to_the_sales_head_and_administrators(
    client, settings, people
):
    from django.core.files.base import ContentFile

    from tests.conftest import set_face

    set_face(settings, "extranet")
    client.force_login(people["login"].user)
    client.post(
        reverse("shop:market_new"),
        {
            "kind": "counterfeit",
            "observed_on": timezone.localdate().isoformat(),
            "location": "城北夜市",
            "brand_name": "假冒中华",
            "quantity": "20",
            "description": "疑似假烟",
        },
    )
    secret = MarketReport.objects.get()
    assert secret.is_restricted
    photo = MarketReportPhoto(report=secret, name="p.png")
    photo.file.save("p.png", ContentFile(PNG), save=True)
    # The submitter still sees its own report.
    assert client.get(reverse("shop:market_report", args=[secret.pk])).status_code == 200
    open_report = MarketReportFactory(kind="competitor")

    set_face(settings, "intranet")
    detail = reverse("sales:market_report", args=[secret.pk])
    photo_url = reverse("sales:market_photo", args=[secret.pk, photo.pk])
    restricted = reverse("sales:market_restricted")
    review = reverse("sales:market_review", args=[secret.pk])
    for key in ("admin", "am", "other_am"):
        client.force_login(people[key])
        assert client.get(detail).status_code == 404, key
        assert client.get(photo_url).status_code == 404, key
        assert client.get(restricted).status_code == 404, key
        assert client.get(restricted + "?format=xlsx").status_code == 404, key
        assert client.post(review, {"decision": "approve"}).status_code == 404, key
        listing = client.get(reverse("sales:market")).content.decode()
        assert secret.number not in listing
        export = client.get(reverse("sales:market") + "?format=xlsx")
        assert secret.number not in xlsx_text(export)
    client.force_login(people["admin"])
    assert open_report.number in xlsx_text(client.get(reverse("sales:market") + "?format=xlsx"))
    for key in ("head", "sysadmin"):
        client.force_login(people[key])
        assert client.get(detail).status_code == 200, key
        assert client.get(photo_url).status_code == 200, key
        assert secret.number in client.get(restricted).content.decode()
        assert secret.number in xlsx_text(client.get(restricted + "?format=xlsx"))
        # The restricted report stays off the main list.
        assert secret.number not in client.get(reverse("sales:market")).content.decode()
    client.force_login(people["head"])
    client.post(review, {"decision": "approve"})
    secret.refresh_from_db()
    assert secret.status == "approved"


def _grow_reports(retailer=None, kind="competitor"):
    def grow(size):
        while MarketReport.objects.filter(kind=kind).count() < size:
            report = MarketReportFactory(kind=kind, **({"retailer": retailer} if retailer else {}))
            MarketReportEvent.objects.create(
                report=report, kind="submitted", at=report.submitted_at
            )

    return grow


def test_market_pages_run_a_bounded_number_of_queries(client, settings, people):
    from tests.conftest import set_face

    set_face(settings, "intranet")
    client.force_login(people["admin"])
    assert_bounded_queries(client, reverse("sales:market"), _grow_reports(), max_queries=12)
    report = MarketReport.objects.first()
    for n in range(3):
        MarketReportPhoto.objects.create(report=report, file=f"x{n}.png", name=f"x{n}.png")
    assert_bounded_queries(
        client,
        reverse("sales:market_report", args=[report.pk]),
        lambda n: [
            MarketReportEvent.objects.create(report=report, kind="resubmitted", at=timezone.now())
            for _ in range(n)
        ],
        max_queries=14,
    )
    client.force_login(people["head"])
    assert_bounded_queries(
        client,
        reverse("sales:market_restricted"),
        _grow_reports(kind="counterfeit"),
        max_queries=14,
    )
    set_face(settings, "extranet")
    client.force_login(people["login"].user)
    assert_bounded_queries(
        client, reverse("shop:market"), _grow_reports(people["retailer"], "other"), max_queries=12
    )
    mine = MarketReport.objects.filter(retailer=people["retailer"]).first()
    assert_bounded_queries(
        client,
        reverse("shop:market_report", args=[mine.pk]),
        lambda n: [
            MarketReportEvent.objects.create(report=mine, kind="resubmitted", at=timezone.now())
            for _ in range(n)
        ],
        max_queries=12,
    )


def test_a_text_file_named_png_is_refused_as_a_market_photo(client, settings, people):
    from tests.conftest import set_face

    set_face(settings, "extranet")
    client.force_login(people["login"].user)
    response = client.post(
        reverse("shop:market_new"),
        {
            "kind": "other",
            "observed_on": timezone.localdate().isoformat(),
            "location": "解放路12号",
            "description": "货架",
            "photos": [
                SimpleUploadedFile("shelf.png", b"<html>hi</html>", content_type="image/png")
            ],
        },
    )
    assert response.status_code == 400
    assert "shelf.png is not a JPEG, PNG, WebP or GIF image." in response.content.decode()
    assert not MarketReport.objects.exists()
