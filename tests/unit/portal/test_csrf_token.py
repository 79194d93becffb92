"""The page's CSRF token: masked from one read of the system's randomness, read back by Django."""

from collections import Counter

from django.middleware import csrf
from django.test import RequestFactory

from portal import csrf_token as module
from portal.csrf_token import csrf_token, mask_secret, page_csrf_token, page_csrf_token_made


def a_secret():
    return csrf._get_new_csrf_string()


def test_django_reads_the_masked_token_back_as_the_secret():
    for _ in range(200):
        secret = a_secret()
        token = mask_secret(secret)
        assert len(token) == csrf.CSRF_TOKEN_LENGTH
        assert set(token) <= set(csrf.CSRF_ALLOWED_CHARS)
        assert csrf._unmask_cipher_token(token) == secret
        csrf._check_token_format(token)  # raises if Django would refuse the format


def test_each_token_is_masked_afresh_with_one_read(monkeypatch):
    reads = []
    real = module.os.urandom
    monkeypatch.setattr(module.os, "urandom", lambda n: reads.append(n) or real(n))
    secret = a_secret()
    tokens = {mask_secret(secret) for _ in range(50)}
    assert len(tokens) == 50
    assert len(reads) <= 51  # one read a token; a second only when many bytes were refused


def test_bytes_that_would_bias_the_mask_are_drawn_again(monkeypatch):
    # Only bytes 248-255 and then 0-39: were 248+ used, `% 62` would give 0-7 at the start.
    chunks = iter([bytes(range(248, 256)) * 5, bytes(range(40))])
    monkeypatch.setattr(module.os, "urandom", lambda n: next(chunks))
    token = mask_secret(a_secret())
    assert token[: csrf.CSRF_SECRET_LENGTH] == csrf.CSRF_ALLOWED_CHARS[:32]


def test_the_mask_is_uniform_over_the_62_characters():
    counts = Counter("".join(mask_secret(a_secret())[:32] for _ in range(2000)))
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    expected = 2000 * 32 / 62  # 1032
    assert all(abs(n - expected) < 0.15 * expected for n in counts.values())


def test_the_token_uses_the_cookies_secret_or_a_new_one_as_get_token_does():
    request = RequestFactory().get("/")
    token = csrf_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert csrf._unmask_cipher_token(token) == secret
    again = RequestFactory().get("/")
    again.META["CSRF_COOKIE"] = secret
    assert csrf._unmask_cipher_token(csrf_token(again)) == secret
    assert again.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_the_page_token_is_made_once():
    request = RequestFactory().get("/")
    assert page_csrf_token_made(request) is None
    first = page_csrf_token(request)
    assert page_csrf_token(request) == first == page_csrf_token_made(request)
