"""Identity reveals: an identity auditor learns, with a written reason, who wrote a post. The
reveal and its audit record are saved before anything is shown, and the other identity auditors
are told."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Identity, IdentityReveal, Post
from forum.permissions import is_identity_auditor
from portal.models import User
from portal.permissions import Role
from portal.refusals import Refusal
from portal.services import audit_record
from portal.tasks import email_send

MIN_REVEAL_REASON = 20


def identity_reveal(*, auditor, post: Post, reason: str, request=None) -> IdentityReveal:
    """An identity auditor learns who wrote `post`. The reveal and its audit record are saved
    before anything is shown; the other identity auditors are told (by email, on commit)."""
    if not is_identity_auditor(auditor):
        raise Refusal(_("Only identity auditors may reveal an author."), status=403)
    reason = (reason or "").strip()
    if len(reason) < MIN_REVEAL_REASON:
        raise Refusal(
            _("Write the reason for this reveal (at least %(min)d characters).")
            % {"min": MIN_REVEAL_REASON}
        )
    if post.author_id is None:
        raise Refusal(_("This post was not written under a pseudonym."))
    with transaction.atomic():
        identity = Identity.objects.select_related("user").get(pseudonym_id=post.author_id)
        reveal = IdentityReveal.objects.create(
            auditor=auditor,
            post=post,
            pseudonym_id=post.author_id,
            revealed_user=identity.user,
            reason=reason,
        )
        # The audit log names the auditor, the post and the pseudonym; the person revealed is
        # in the reveal row, which only identity auditors read.
        audit_record(
            actor=auditor,
            action="forum.identity_reveal",
            target=reveal,
            reason=reason,
            data={"post": post.pk, "topic": post.topic_id, "pseudonym": post.author.name},
            request=request,
        )
        transaction.on_commit(lambda: _tell_other_auditors(reveal))
    return reveal


def _tell_other_auditors(reveal: IdentityReveal) -> None:
    addresses = list(
        User.objects.filter(groups__name=Role.IDENTITY_AUDITOR, is_active=True)
        .exclude(pk=reveal.auditor_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not addresses:
        return
    auditor = reveal.auditor
    body = (
        f"{auditor.display_name} ({auditor.username}) revealed the author of forum post "
        f"#{reveal.post_id} (pseudonym {reveal.pseudonym.name}) "
        f"at {reveal.created_at:%Y-%m-%d %H:%M} UTC.\n\n"
        f"Reason given:\n{reveal.reason}\n\n"
        f"Reveal log: {settings.INTRANET_BASE_URL}/forum/reveals/\n"
    )
    email_send.enqueue(
        subject="[Forum] Identity reveal recorded",
        body=body,
        to=addresses,
    )
