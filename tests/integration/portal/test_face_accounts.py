"""An account of the other face does not exist for a face's sign-in and password reset.

An employee on the extranet and a retailer on the intranet: the right password gets the very
answer of a wrong one (same page, same status, the password hasher run alike), and a reset
request the very answer of one for an unknown address (no mail, no link to the wrong face).
"""

import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from tests.conftest import make_role_user, set_face
from tests.factories.people import PASSWORD
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

# (face, kind of account that belongs to the other face)
WRONG_FACE = [("extranet", "employee"), ("intranet", "retailer")]
RIGHT_FACE = [("intranet", "employee"), ("extranet", "retailer")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def normalised(response):
    """The page without what differs on every render (the CSRF token)."""
    return CSRF.sub("", response.content.decode())


@pytest.fixture
def hashed_calls():
    """Counts the password hasher's verifications (the costly part of a sign-in)."""
    calls = []
    original = MD5PasswordHasher.verify

    def counting(self, password, encoded):
        calls.append(password)
        return original(self, password, encoded)

    with mock.patch.object(MD5PasswordHasher, "verify", counting):
        yield calls


def post_login(client, login, password):
    client.cookies["portal_language"] = "en"
    return client.post(reverse("account_login"), {"login": login, "password": password})


@pytest.mark.parametrize(("face", "kind"), WRONG_FACE)
@pytest.mark.parametrize("login_by", ["username", "email"])
def test_a_right_password_of_the_other_face_is_answered_like_a_wrong_one(
    client, settings, hashed_calls, face, kind, login_by
):
    set_face(settings, face)
    user = make_role_user(kind)
    login = getattr(user, login_by)

    wrong = post_login(client, login, "not-the-password")
    wrong_hashings = len(hashed_calls)
    hashed_calls.clear()
    right = post_login(client, login, PASSWORD)

    assert "_auth_user_id" not in client.session
    assert right.status_code == wrong.status_code == 200
    assert normalised(right) == normalised(wrong)
    assert "intranet" not in normalised(right).split("<form")[1].split("</form>")[0].lower()
    # The password was checked as for a wrong one: the same hashing cost, no short cut.
    assert len(hashed_calls) == wrong_hashings >= 1


@pytest.mark.parametrize(("face", "kind"), RIGHT_FACE)
def test_the_own_face_still_signs_in(client, settings, face, kind):
    set_face(settings, face)
    user = make_role_user(kind)
    assert post_login(client, user.username, PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def request_reset(client, address, django_capture_on_commit_callbacks):
    client.cookies["portal_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": address})
    run_worker()
    return response


@pytest.mark.parametrize(("face", "kind"), WRONG_FACE)
def test_a_reset_for_the_other_faces_account_is_answered_like_an_unknown_address(
    client, settings, face, kind, django_capture_on_commit_callbacks
):
    set_face(settings, face)
    user = make_role_user(kind)
    unknown = "nobody-" + user.email

    answer_unknown = request_reset(client, unknown, django_capture_on_commit_callbacks)
    answer_other_face = request_reset(client, user.email, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert answer_other_face.status_code == answer_unknown.status_code == 302
    assert answer_other_face["Location"] == answer_unknown["Location"]
    done_unknown = normalised(client.get(answer_unknown["Location"]))
    assert normalised(client.get(answer_other_face["Location"])) == done_unknown


@pytest.mark.parametrize(("face", "kind"), RIGHT_FACE)
def test_a_reset_for_the_own_faces_account_sends_the_link(
    client, settings, face, kind, django_capture_on_commit_callbacks
):
    set_face(settings, face)
    user = make_role_user(kind)
    response = request_reset(client, user.email, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[user.email]]


@pytest.mark.parametrize(("face", "kind"), WRONG_FACE)
def test_a_reset_link_of_the_other_face_does_not_set_a_password(client, settings, face, kind):
    """Even a link minted for the account (on its own face) sets nothing on the wrong face."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    set_face(settings, face)
    user = make_role_user(kind)
    key = default_token_generator.make_token(user)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    response = client.get(url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else url
    client.post(form_url, {"password1": "Brand-New-Secret-9", "password2": "Brand-New-Secret-9"})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not user.check_password("Brand-New-Secret-9")
