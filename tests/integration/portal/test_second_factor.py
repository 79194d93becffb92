"""Identity auditors and system administrators sign in with a second factor (allauth's MFA:
an authenticator app, with recovery codes), required before any reveal or role change."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache
from django.urls import reverse

from forum.models import IdentityReveal
from forum.services import posting
from tests.conftest import make_role_user, pass_second_factor
from tests.factories.forum import BoardFactory, pseudonym_for
from tests.factories.people import PASSWORD

REASON = "Discipline committee case 2026-30: threat made in this post."


@pytest.fixture(autouse=True)
def _fresh_codes(intranet):
    # allauth remembers used codes in the cache; users' ids repeat between tests.
    cache.clear()
    yield
    cache.clear()


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def reveal_url(db):
    writer = make_role_user("employee")
    pseudonym = pseudonym_for(writer, "QuietHeron101")
    topic = posting.topic_create(board=BoardFactory(), title="T", body="x", author=pseudonym)
    return reverse("forum:post_reveal", args=[topic.last_post_id])


def sign_in_with_password(client, user):
    return client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})


@pytest.mark.django_db
def test_an_auditor_without_an_authenticator_is_sent_to_set_one_up(client, reveal_url):
    auditor = make_role_user("identity_auditor")
    client.force_login(auditor)
    for response in (client.get(reveal_url), client.post(reveal_url, {"reason": REASON})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp") + "?next=")
    assert not IdentityReveal.objects.exists()


@pytest.mark.django_db
def test_a_session_that_did_not_enter_a_code_is_asked_for_one(client, reveal_url):
    auditor = make_role_user("identity_auditor")
    TOTP.activate(auditor, generate_totp_secret())
    client.force_login(auditor)
    response = client.post(reveal_url, {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not IdentityReveal.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_auditor_reveals_after_setting_up_an_authenticator_app(client, reveal_url):
    auditor = make_role_user("identity_auditor")
    assert sign_in_with_password(client, auditor).status_code == 302
    menu = client.get("/").content.decode()
    assert reverse("mfa_index") in menu
    # allauth asks for the password again before an authenticator is added.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 302 and page["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=auditor, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.get(user=auditor, type=Authenticator.Type.RECOVERY_CODES)
    assert len(recovery.wrap().get_unused_codes()) == 10
    assert client.get(reveal_url).status_code == 200
    assert client.post(reveal_url, {"reason": REASON}).status_code == 200
    assert IdentityReveal.objects.filter(auditor=auditor).count() == 1


@pytest.mark.django_db
def test_signing_in_with_an_authenticator_asks_for_its_code(client, reveal_url):
    auditor = make_role_user("identity_auditor")
    secret = generate_totp_secret()
    TOTP.activate(auditor, secret)
    response = sign_in_with_password(client, auditor)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reveal_url).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(auditor.pk)
    assert client.post(reveal_url, {"reason": REASON}).status_code == 200
    assert IdentityReveal.objects.count() == 1


@pytest.mark.django_db
def test_a_recovery_code_stands_in_for_the_app(client, reveal_url):
    auditor = make_role_user("identity_auditor")
    TOTP.activate(auditor, generate_totp_secret())
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(auditor).get_unused_codes()
    sign_in_with_password(client, auditor)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert client.session["_auth_user_id"] == str(auditor.pk)
    assert client.get(reveal_url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/users/", "/admin/groups/"])
def test_administrators_change_roles_only_with_a_second_factor(client, url):
    superuser = make_role_user("superuser")
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    pass_second_factor(client, superuser)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_second_factor_is_not_routed_on_the_extranet(client, extranet, retailer_user):
    client.force_login(retailer_user)
    assert client.get("/accounts/2fa/").status_code == 404
    assert client.get("/accounts/2fa/totp/activate/").status_code == 404
