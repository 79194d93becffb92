"""Feedback and complaints: submission, the 24-hour call-back, alerts sent once, the overdue
lists and the on-time rate, and what the retailer may see."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from extranet.feedback.services import (
    FeedbackRefused,
    feedback_alerts_send,
    feedback_callback_record,
    feedback_note_add,
    feedback_resolve,
)
from extranet.models import Feedback, FeedbackEvent, FeedbackPhoto
from portal import scheduling
from portal.permissions import Role
from tests.conftest import make_role_user
from tests.factories.extranet import FeedbackFactory, OrderingRetailerFactory
from tests.factories.files import png_bytes
from tests.factories.people import (
    DepartmentFactory,
    EmployeeFactory,
    RetailerLoginFactory,
    UserFactory,
)
from tests.querycount import assert_bounded_queries
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
PNG = png_bytes()


def account_manager(department=None):
    return EmployeeFactory(
        user=UserFactory(roles=[Role.ACCOUNT_MANAGER]),
        department=department or DepartmentFactory(),
    )


@pytest.fixture
def desk():
    """A sales department whose head is not the account manager's own manager."""
    sales = DepartmentFactory(code="sales")
    sales.head = EmployeeFactory(department=sales)
    sales.save()
    section = DepartmentFactory(parent=sales)
    section.head = EmployeeFactory(department=section)
    section.save()
    manager = account_manager(section)
    retailer = OrderingRetailerFactory(account_manager=manager)
    login = RetailerLoginFactory(retailer=retailer)
    return {"sales": sales, "section": section, "am": manager, "retailer": retailer, "login": login}


@pytest.fixture
def shop(client, extranet, desk):
    client.force_login(desk["login"].user)
    return client


def test_retailer_submits_with_a_photo_assigned_to_the_account_manager(shop, desk):
    response = shop.post(
        reverse("shop:feedback_new"),
        {
            "kind": "complaint",
            "text": "送货晚了两天",
            "photos": [SimpleUploadedFile("shelf.png", PNG, content_type="image/png")],
        },
    )
    feedback = Feedback.objects.get()
    assert response["Location"] == reverse("shop:feedback_detail", args=[feedback.pk])
    assert feedback.assigned_to == desk["am"]
    assert feedback.callback_due_at - feedback.submitted_at == timedelta(hours=24)
    assert feedback.events.get().kind == "submitted"
    photo = feedback.photos.get()
    served = shop.get(reverse("shop:feedback_photo", args=[feedback.pk, photo.pk]))
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content) == PNG


def test_bad_photo_or_empty_text_is_refused_and_nothing_is_saved(shop):
    response = shop.post(
        reverse("shop:feedback_new"),
        {"kind": "complaint", "text": "x", "photos": [SimpleUploadedFile("a.html", b"<b>")]},
    )
    assert response.status_code == 400
    assert "cannot be uploaded" in response.content.decode()
    response = shop.post(reverse("shop:feedback_new"), {"kind": "praise", "text": "   "})
    assert response.status_code == 400
    response = shop.post(reverse("shop:feedback_new"), {"kind": "nonsense", "text": "hello"})
    assert response.status_code == 400
    assert not Feedback.objects.exists() and not FeedbackPhoto.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("shelf.png", b"just some text, not a picture"),
        ("shelf.png", b"<html><script>alert(1)</script></html>"),
        ("shelf.jpg", b"\x89PNG\r\n\x1a\n" + b"0" * 32),  # a PNG signature, no image
    ],
)
def test_a_file_that_is_not_an_image_by_its_bytes_is_refused(shop, name, content):
    response = shop.post(
        reverse("shop:feedback_new"),
        {
            "kind": "complaint",
            "text": "送货晚了",
            "photos": [SimpleUploadedFile(name, content, content_type="image/png")],
        },
    )
    assert response.status_code == 400
    assert f"{name} is not a JPEG, PNG, WebP or GIF image." in response.content.decode()
    assert not Feedback.objects.exists() and not FeedbackPhoto.objects.exists()


def test_another_retailers_feedback_and_photos_answer_404(shop):
    other = FeedbackFactory()
    photo = FeedbackPhoto.objects.create(feedback=other, file="x.png", name="x.png")
    assert shop.get(reverse("shop:feedback_detail", args=[other.pk])).status_code == 404
    assert shop.get(reverse("shop:feedback_photo", args=[other.pk, photo.pk])).status_code == 404
    assert (
        shop.post(reverse("shop:feedback_rate", args=[other.pk]), {"rating": 5}).status_code == 404
    )
    assert other.text not in shop.get(reverse("shop:feedback")).content.decode()


def test_staff_records_the_call_back_and_notes_on_the_page(client, intranet, desk):
    feedback = FeedbackFactory(
        retailer=desk["retailer"], submitted_at=timezone.now() - timedelta(hours=5)
    )
    client.force_login(desk["am"].user)
    response = client.post(
        reverse("sales:feedback_action", args=[feedback.pk, "resolve"]), {"resolution": "early"}
    )
    feedback.refresh_from_db()
    assert feedback.status == "open"  # the call-back comes first
    response = client.post(
        reverse("sales:feedback_action", args=[feedback.pk, "callback"]),
        {"called_at": "2099-01-01T10:00", "method": "phone", "summary": "x"},
    )
    feedback.refresh_from_db()
    assert feedback.called_back_at is None  # not in the future
    response = client.post(
        reverse("sales:feedback_action", args=[feedback.pk, "callback"]),
        {"called_at": "", "method": "fax", "summary": ""},
    )
    assert response.status_code == 400
    when = (feedback.submitted_at + timedelta(hours=1)).astimezone(SHANGHAI)
    client.post(
        reverse("sales:feedback_action", args=[feedback.pk, "callback"]),
        {"called_at": when.strftime("%Y-%m-%dT%H:%M"), "method": "visit", "summary": "上门解释"},
    )
    client.post(
        reverse("sales:feedback_action", args=[feedback.pk, "note"]), {"text": "内部备注秘密"}
    )
    feedback.refresh_from_db()
    assert feedback.status == "called_back" and feedback.callback_method == "visit"
    page = client.get(reverse("sales:feedback_item", args=[feedback.pk])).content.decode()
    assert "上门解释" in page and "内部备注秘密" in page


def test_retailer_sees_history_without_notes_and_rates_once(shop, desk):
    feedback = FeedbackFactory(
        retailer=desk["retailer"], submitted_at=timezone.now() - timedelta(hours=5)
    )
    actor = desk["am"].user
    feedback_callback_record(
        feedback=feedback,
        actor=actor,
        called_at=timezone.now() - timedelta(hours=1),
        method="visit",
        summary="上门解释",
    )
    feedback_note_add(feedback=feedback, actor=actor, text="内部备注秘密")
    page = shop.get(reverse("shop:feedback_detail", args=[feedback.pk])).content.decode()
    assert "上门解释" in page and "内部备注秘密" not in page
    shop.post(reverse("shop:feedback_rate", args=[feedback.pk]), {"rating": 4})
    feedback.refresh_from_db()
    assert feedback.rating is None  # not resolved yet
    feedback_resolve(feedback=feedback, actor=actor, resolution="补货")
    shop.post(reverse("shop:feedback_rate", args=[feedback.pk]), {"rating": 9})
    shop.post(reverse("shop:feedback_rate", args=[feedback.pk]), {"rating": 4})
    shop.post(reverse("shop:feedback_rate", args=[feedback.pk]), {"rating": 1})
    feedback.refresh_from_db()
    assert feedback.status == "resolved" and feedback.rating == 4
    page = shop.get(reverse("shop:feedback_detail", args=[feedback.pk])).content.decode()
    assert "补货" in page and "内部备注秘密" not in page


def test_other_account_manager_cannot_see_or_act(client, intranet, desk):
    feedback = FeedbackFactory(retailer=desk["retailer"])
    client.force_login(account_manager().user)
    assert client.get(reverse("sales:feedback_item", args=[feedback.pk])).status_code == 404
    response = client.post(
        reverse("sales:feedback_action", args=[feedback.pk, "note"]), {"text": "x"}
    )
    assert response.status_code == 404
    assert not FeedbackEvent.objects.filter(kind="note").exists()


def test_reassignment_and_effective_flag_are_for_the_department(client, intranet, desk):
    feedback = FeedbackFactory(retailer=desk["retailer"], warned_at=T0)
    other = account_manager()
    client.force_login(desk["am"].user)
    url = reverse("sales:feedback_action", args=[feedback.pk, "reassign"])
    assert client.post(url, {"employee": other.employee_number}).status_code == 403
    client.force_login(make_role_user("sales_administrator"))
    assert client.post(url, {"employee": other.employee_number}).status_code == 302
    flag = reverse("sales:feedback_action", args=[feedback.pk, "flag"])
    client.post(flag, {"effective": "on"})
    feedback.refresh_from_db()
    assert feedback.assigned_to == other and feedback.warned_at is None
    assert feedback.is_effective_complaint
    praise = FeedbackFactory(retailer=desk["retailer"], kind="praise")
    client.post(reverse("sales:feedback_action", args=[praise.pk, "flag"]), {"effective": "on"})
    praise.refresh_from_db()
    assert not praise.is_effective_complaint
    # The sales department head sees it too, without being a sales administrator.
    client.force_login(desk["sales"].head.user)
    assert client.get(reverse("sales:feedback_item", args=[feedback.pk])).status_code == 200


def test_alerts_warn_four_hours_before_and_alert_when_overdue_each_once(
    desk, django_capture_on_commit_callbacks
):
    feedback = FeedbackFactory(retailer=desk["retailer"], submitted_at=T0)
    due = T0 + timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_alerts_send(now=due - timedelta(hours=4, minutes=1)) == (0, 0)
        assert feedback_alerts_send(now=due - timedelta(hours=4)) == (1, 0)
        assert feedback_alerts_send(now=due - timedelta(hours=1)) == (0, 0)
    run_worker("default")
    assert [m.to for m in mail.outbox] == [[desk["am"].user.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_alerts_send(now=due) == (0, 1)
        assert feedback_alerts_send(now=due + timedelta(hours=3)) == (0, 0)
    run_worker("default")
    assert sorted(mail.outbox[1].to) == sorted(
        [desk["section"].head.user.email, desk["sales"].head.user.email]
    )
    assert len(mail.outbox) == 2
    feedback.refresh_from_db()
    assert feedback.warned_at == due - timedelta(hours=4) and feedback.overdue_alerted_at == due


def test_due_soon_warning_of_a_store_without_account_manager_reaches_the_sales_head(
    desk, django_capture_on_commit_callbacks
):
    orphan = OrderingRetailerFactory(account_manager=None)
    feedback = FeedbackFactory(retailer=orphan, submitted_at=T0)
    assert feedback.assigned_to is None
    due = T0 + timedelta(hours=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_alerts_send(now=due - timedelta(hours=4)) == (1, 0)
    run_worker("default")
    assert [m.to for m in mail.outbox] == [[desk["sales"].head.user.email]]
    assert feedback.number in mail.outbox[0].subject
    assert orphan.store_name in mail.outbox[0].body


def test_called_back_feedback_gets_no_alert(desk):
    feedback = FeedbackFactory(retailer=desk["retailer"], submitted_at=T0)
    feedback_callback_record(
        feedback=feedback,
        actor=desk["am"].user,
        called_at=T0 + timedelta(hours=2),
        method="phone",
        summary="ok",
        now=T0 + timedelta(hours=2),
    )
    assert feedback_alerts_send(now=T0 + timedelta(days=3)) == (0, 0)


def test_alert_task_is_scheduled_and_run_by_the_worker(desk, django_capture_on_commit_callbacks):
    FeedbackFactory(retailer=desk["retailer"], submitted_at=T0)  # long overdue
    periodic = scheduling.REGISTRY["extranet.feedback_alerts"]
    assert periodic.every == timedelta(minutes=15)
    with django_capture_on_commit_callbacks(execute=True):
        periodic.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        run_worker("default")  # the alert task, which queues the mail on commit
    assert not mail.outbox
    run_worker("default")
    assert Feedback.objects.get().overdue_alerted_at is not None
    assert len(mail.outbox) == 1


def test_overdue_lists_and_monthly_on_time_rate(client, intranet, desk):
    now = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
    other = account_manager()
    other_retailer = OrderingRetailerFactory(account_manager=other)
    # November: one called back in time, one late, one overdue, one not yet due (left out).
    on_time = FeedbackFactory(retailer=desk["retailer"], submitted_at=T0)
    on_time.called_back_at = T0 + timedelta(hours=3)
    on_time.save()
    late = FeedbackFactory(retailer=desk["retailer"], submitted_at=T0)
    late.called_back_at = T0 + timedelta(hours=30)
    late.save()
    FeedbackFactory(retailer=desk["retailer"], submitted_at=T0 + timedelta(days=1))
    FeedbackFactory(retailer=other_retailer, submitted_at=T0 + timedelta(days=1))
    FeedbackFactory(retailer=other_retailer, submitted_at=now - timedelta(hours=1))
    # October: one in time.
    october = FeedbackFactory(retailer=other_retailer, submitted_at=T0 - timedelta(days=20))
    october.called_back_at = october.submitted_at
    october.save()
    from extranet.feedback.selectors import callback_rates_by_month, overdue_by_account_manager

    admin = make_role_user("sales_administrator")
    rates = callback_rates_by_month(user=admin, now=now)
    assert [(r["total"], r["on_time"], r["rate"]) for r in rates] == [(4, 1, 25.0), (1, 1, 100.0)]
    overdue = overdue_by_account_manager(user=admin, now=now)
    assert {row["assigned_to_id"]: row["overdue"] for row in overdue} == {
        desk["am"].pk: 1,
        other.pk: 1,
    }
    mine = overdue_by_account_manager(user=desk["am"].user, now=now)
    assert [(row["assigned_to_id"], row["overdue"]) for row in mine] == [(desk["am"].pk, 1)]
    mine_rates = callback_rates_by_month(user=desk["am"].user, now=now)
    assert [(r["total"], r["on_time"]) for r in mine_rates] == [(3, 1)]
    client.force_login(desk["am"].user)
    page = client.get(reverse("sales:feedback"), {"overdue": "on"})
    assert len(page.context["page"].object_list) == 1


def test_shop_pages_query_counts(shop, desk):
    def grow(n):
        while Feedback.objects.count() < n:
            item = FeedbackFactory(retailer=desk["retailer"])
            FeedbackPhoto.objects.create(feedback=item, file="x.png", name="x.png")
            feedback_note_add(feedback=item, actor=None, text="n")

    first = FeedbackFactory(retailer=desk["retailer"])
    assert_bounded_queries(shop, reverse("shop:feedback"), grow, max_queries=12)
    detail = reverse("shop:feedback_detail", args=[first.pk])

    def grow_events(n):
        while first.events.count() < n:
            feedback_note_add(feedback=first, actor=None, text="n")
            FeedbackEvent.objects.create(feedback=first, kind="submitted", at=T0)
            FeedbackPhoto.objects.create(feedback=first, file="x.png", name="x.png")

    assert_bounded_queries(shop, detail, grow_events, max_queries=12)


def test_staff_pages_query_counts(client, intranet, desk):
    client.force_login(make_role_user("sales_administrator"))

    def grow(n):
        while Feedback.objects.count() < n:
            FeedbackFactory(retailer=OrderingRetailerFactory(account_manager=account_manager()))

    first = FeedbackFactory(retailer=desk["retailer"])
    assert_bounded_queries(client, reverse("sales:feedback"), grow, max_queries=16)

    def grow_events(n):
        while first.events.count() < n:
            feedback_note_add(feedback=first, actor=desk["am"].user, text="n")
            FeedbackPhoto.objects.create(feedback=first, file="x.png", name="x.png")

    assert_bounded_queries(
        client, reverse("sales:feedback_item", args=[first.pk]), grow_events, max_queries=20
    )


def test_resolve_requires_call_back_first():
    feedback = FeedbackFactory()
    with pytest.raises(FeedbackRefused):
        feedback_resolve(feedback=feedback, actor=None, resolution="x")


def test_bench_generator_makes_feedback_once():
    import random

    from bench.generators.feedback import feedback as generate
    from bench.scales import SCALES

    OrderingRetailerFactory.create_batch(3)
    scale = SCALES["small"].__class__(**{**SCALES["small"].as_dict(), "retailers": 7})
    generate(scale, random.Random(1))
    generate(scale, random.Random(1))
    assert Feedback.objects.count() == 7
    assert len(set(Feedback.objects.values_list("retailer", flat=True))) == 3
