"""Failed sign-ins lock an account per address, with a much higher ceiling per account.

With the production limits (portal/settings/base.py): five failures from one machine lock that
machine out of that account for five minutes, and nothing else; 50 failures an hour from all
addresses together lock the account everywhere (guessing spread over many addresses).
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.settings import base
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db

A, B = "10.1.1.1", "10.2.2.2"


@pytest.fixture
def production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield base.ACCOUNT_RATE_LIMITS
    cache.clear()


def sign_in(address, login, password):
    client = Client(REMOTE_ADDR=address)
    client.cookies["portal_language"] = "en"
    response = client.post(reverse("account_login"), {"login": login, "password": password})
    return response, client


def locked(response):
    return "Too many failed login attempts" in response.content.decode()


def test_the_thresholds_are_the_documented_ones(production_limits):
    assert production_limits["login_failed"] == "10/m/ip,5/5m/key"
    assert production_limits["login_failed_account"] == "50/h/key"


def test_five_failures_from_one_machine_lock_only_that_machine(
    intranet, employee, production_limits
):
    for _ in range(5):
        response, _client = sign_in(A, employee.username, "mistyped")
        assert not locked(response)
    response, client = sign_in(A, employee.username, PASSWORD)
    assert locked(response) and "_auth_user_id" not in client.session
    # By email too: the count is the account's, not the typed name's.
    response, client = sign_in(A, employee.email, PASSWORD)
    assert locked(response)

    response, client = sign_in(B, employee.username, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == employee.pk


def test_a_colleague_locking_their_own_machine_leaves_other_accounts_alone(
    intranet, employee, production_limits
):
    from tests.conftest import make_role_user

    other = make_role_user("employee")
    for _ in range(5):
        sign_in(A, employee.username, "mistyped")
    response, client = sign_in(A, other.username, PASSWORD)
    assert response.status_code == 302


def test_the_ceiling_per_account_stops_guessing_from_many_addresses(
    extranet, retailer_user, production_limits
):
    # 50 failures, four from each of 13 addresses (each under the per-address lock of five).
    addresses = [f"10.9.{n}.1" for n in range(13)]
    attempts = [address for address in addresses for _ in range(4)][:50]
    for address in attempts:
        response, _client = sign_in(address, retailer_user.username, "guess")
        assert not locked(response)
    response, client = sign_in("10.99.0.1", retailer_user.username, PASSWORD)
    assert locked(response) and "_auth_user_id" not in client.session


def test_a_successful_sign_in_does_not_count(intranet, employee, production_limits):
    for _ in range(10):
        response, _client = sign_in(A, employee.username, PASSWORD)
        assert response.status_code == 302
    for _ in range(4):
        sign_in(A, employee.username, "mistyped")
    response, _client = sign_in(A, employee.username, PASSWORD)
    assert response.status_code == 302
