"""Password reset by email: the mail is sent by the task worker through a real SMTP server on
loopback, the link works, and the user's own new password ends the issued one."""

import email
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from portal.services import user_issue_password
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


class Mailbox:
    def __init__(self):
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        self.received.set()
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield mailbox
    controller.stop()


def text_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def test_password_reset_mail_goes_through_the_worker_and_smtp(
    client, intranet, employee, smtp_server, django_capture_on_commit_callbacks
):
    user_issue_password(user=employee, password="Issued-Pass-42")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": employee.email})
    assert response.status_code == 302
    assert smtp_server.messages == [], "mail must not be sent from the web request"

    run_worker()
    assert smtp_server.received.is_set()
    recipients, message = smtp_server.messages[0]
    assert recipients == [employee.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", text_of(message))
    assert link, text_of(message)

    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    response = client.post(
        form_url, {"password1": "My-New-Secret-9", "password2": "My-New-Secret-9"}
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("My-New-Secret-9")
    assert employee.must_change_password is False


def test_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, intranet, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "nobody@factory.example.com"}
        )
    assert response.status_code == 302
    run_worker()
    assert all("nobody@" not in rcpt for rcpts, _ in smtp_server.messages for rcpt in rcpts)
