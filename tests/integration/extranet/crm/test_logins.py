"""The staff page issuing retailer logins: list, add (password shown once or mailed), reset,
deactivate with a confirmation; audited; for sales administrators and the retailer's own
account manager."""

import pytest
from django.core import mail
from django.urls import reverse

from extranet.models import RetailerLogin
from portal.models import AuditEntry, User
from tests.conftest import make_role_user
from tests.factories.extranet import OrderingRetailerFactory
from tests.factories.people import RetailerLoginFactory
from tests.querycount import assert_bounded_queries
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, intranet):
    user = make_role_user("account_manager")
    client.force_login(user)
    client.user = user
    return client


def test_account_manager_issues_a_login_with_the_password_shown_once(manager):
    retailer = OrderingRetailerFactory(account_manager=manager.user.employee)
    url = reverse("sales:logins", args=[retailer.pk])
    assert manager.get(url).context["logins"] == []
    response = manager.post(url, {"username": "shop-1", "email": "", "deliver": "show"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    issued = response.context["issued"]
    user = User.objects.get(username="shop-1")
    assert user.check_password(issued["password"]) and user.must_change_password
    assert user.kind == User.Kind.RETAILER
    assert RetailerLogin.objects.get(user=user).retailer == retailer
    assert issued["password"] in response.content.decode()
    # Shown once: the list page does not show it again.
    assert issued["password"] not in manager.get(url).content.decode()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"retailer.login_issued", "user.password_issued"} <= actions


def test_a_taken_login_name_is_refused_with_a_message(manager):
    retailer = OrderingRetailerFactory(account_manager=manager.user.employee)
    User.objects.create(username="taken")
    response = manager.post(
        reverse("sales:logins", args=[retailer.pk]),
        {"username": "TAKEN", "deliver": "show"},
    )
    assert response.status_code == 409
    assert "is taken" in response.content.decode()
    response = manager.post(
        reverse("sales:logins", args=[retailer.pk]), {"username": "bad name!", "deliver": "show"}
    )
    assert response.status_code == 400
    assert not RetailerLogin.objects.filter(retailer=retailer).exists()


def test_reset_by_mail_goes_through_the_queue(manager, django_capture_on_commit_callbacks):
    login = RetailerLoginFactory(retailer__account_manager=manager.user.employee)
    login.user.email = "shop@example.com"
    login.user.save()
    url = reverse("sales:login_password", args=[login.retailer_id, login.user_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url, {"deliver": "mail"})
    assert response.status_code == 302
    assert mail.outbox == []
    run_worker()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["shop@example.com"]
    password = mail.outbox[0].body.split("password is ")[1].split(".")[0]
    login.user.refresh_from_db()
    assert login.user.check_password(password) and login.user.must_change_password
    assert AuditEntry.objects.filter(action="retailer.login_password_reset").exists()


def test_reset_shown_once(manager):
    login = RetailerLoginFactory(retailer__account_manager=manager.user.employee)
    url = reverse("sales:login_password", args=[login.retailer_id, login.user_id])
    response = manager.post(url, {"deliver": "show"})
    assert response.status_code == 200
    login.user.refresh_from_db()
    assert login.user.check_password(response.context["issued"]["password"])


def test_deactivate_asks_first_then_blocks_sign_in(manager):
    login = RetailerLoginFactory(retailer__account_manager=manager.user.employee)
    url = reverse("sales:login_deactivate", args=[login.retailer_id, login.user_id])
    page = manager.get(url)
    assert page.status_code == 200 and "Yes, deactivate" in page.content.decode()
    login.user.refresh_from_db()
    assert login.user.is_active
    assert manager.post(url).status_code == 302
    login.user.refresh_from_db()
    assert not login.user.is_active
    assert AuditEntry.objects.filter(action="retailer.login_deactivated").count() == 1
    manager.post(url)
    assert AuditEntry.objects.filter(action="retailer.login_deactivated").count() == 1


def test_other_account_managers_and_other_retailers_logins_are_out_of_reach(manager):
    other = RetailerLoginFactory()  # assigned to nobody
    assert manager.get(reverse("sales:logins", args=[other.retailer_id])).status_code == 404
    mine = OrderingRetailerFactory(account_manager=manager.user.employee)
    # Another retailer's login through my retailer's URL: 404, nothing changed.
    url = reverse("sales:login_deactivate", args=[mine.pk, other.user_id])
    assert manager.post(url).status_code == 404
    other.user.refresh_from_db()
    assert other.user.is_active


def test_logins_page_query_count(manager):
    retailer = OrderingRetailerFactory(account_manager=manager.user.employee)

    def grow(size):
        while RetailerLogin.objects.filter(retailer=retailer).count() < size:
            RetailerLoginFactory(
                retailer=retailer,
                user__username=f"{retailer.licence_number}-{RetailerLogin.objects.count()}",
            )

    assert_bounded_queries(
        manager, reverse("sales:logins", args=[retailer.pk]), grow, max_queries=14, sizes=(1, 8)
    )


def test_logins_page_shows_each_login_in_one_read_per_table(client, intranet):
    """The page reads only the fields it shows (issue 18); what it shows is unchanged: the
    login name, email, state and actions, per role (an administrator any store, an account
    manager their own, an employee none)."""
    active = RetailerLoginFactory(user__email="shop@example.com", user__must_change_password=True)
    retailer = active.retailer
    RetailerLoginFactory(
        retailer=retailer, user__username="zz-off", user__is_active=False, user__email=""
    )
    url = reverse("sales:logins", args=[retailer.pk])
    client.force_login(make_role_user("sales_administrator"))
    page = client.get(url).content.decode()
    assert retailer.store_name in page and retailer.licence_number in page
    assert "shop@example.com" in page and "must change password" in page
    assert "zz-off" in page and "Deactivated" in page
    assert reverse("sales:login_deactivate", args=[retailer.pk, active.user_id]) in page
    client.force_login(make_role_user("account_manager"))
    assert client.get(url).status_code == 404
    retailer.account_manager = make_role_user("account_manager").employee
    retailer.save()
    client.force_login(retailer.account_manager.user)
    assert "shop@example.com" in client.get(url).content.decode()
    client.force_login(make_role_user("employee"))
    assert client.get(url).status_code == 403
