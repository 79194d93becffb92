"""Telling retailers that a survey addressed to them is open: a notice on the extranet home and
a mail to the store's logins, once per retailer and survey.

The scheduled `survey_notices_due` notifies every published, open survey that has not been
notified; a survey whose audience may have grown (edited, or retailers moved between grades,
regions or routes) is handed back to it by clearing `notified_at`.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet.models import RetailerLogin
from extranet.surveys.models import Survey, SurveyNotice, SurveyTarget
from extranet.surveys.selectors import CRITERIA, audience_retailers
from portal.tasks import email_send


def _notice_mail(survey) -> tuple[str, str]:
    path = reverse("shop:survey", args=[survey.pk], urlconf=settings.PORTAL_URLCONFS["extranet"])
    closes = timezone.localtime(survey.closes_at).strftime("%Y-%m-%d %H:%M")
    subject = _("New survey for your store: %(title)s") % {"title": survey.title}
    body = _(
        "A new survey is open for your store: %(title)s\n\n"
        "Please answer it by %(closes)s on the retailer service site:\n%(url)s"
    ) % {
        "title": survey.title,
        "closes": closes,
        "url": settings.EXTRANET_BASE_URL.rstrip("/") + path,
    }
    return subject, body


def survey_notices_send(*, survey_id: int, now=None) -> int:
    """Tell every retailer a published, open survey is addressed to that it is open: a notice
    on its extranet home and one mail to its logins with an address (sent by the task queue).
    Once per retailer and survey (a database constraint); the survey row is locked so that two
    runs never interleave. Returns the number of retailers notified by this run."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
        if survey is None or not survey.is_open(now):
            return 0
        pending = audience_retailers(survey).exclude(
            Exists(SurveyNotice.objects.filter(survey_id=survey.pk, retailer_id=OuterRef("pk")))
        )
        ids = list(pending.order_by("pk").values_list("pk", flat=True))
        addresses = defaultdict(set)
        logins = (
            RetailerLogin.objects.filter(retailer__in=pending, user__is_active=True)
            .exclude(user__email="")
            .values_list("retailer_id", "user__email")
        )
        for retailer_id, email in logins:
            addresses[retailer_id].add(email)
        SurveyNotice.objects.bulk_create(
            [
                SurveyNotice(
                    survey=survey,
                    retailer_id=pk,
                    created_at=now,
                    emailed_to=len(addresses.get(pk, ())),
                )
                for pk in ids
            ],
            batch_size=2000,
        )
        survey.notified_at = now
        survey.save(update_fields=["notified_at"])
        subject, body = _notice_mail(survey)
        mails = [sorted(addresses[pk]) for pk in ids if addresses.get(pk)]

        def enqueue():
            for to in mails:
                email_send.enqueue(subject=subject, body=body, to=to)

        transaction.on_commit(enqueue)
    return len(ids)


def survey_notice_seen(*, survey, retailer, now=None) -> None:
    """The retailer opened the survey: its notice on the extranet home has done its work."""
    SurveyNotice.objects.filter(
        survey_id=survey.pk, retailer_id=retailer.pk, seen_at__isnull=True
    ).update(seen_at=now or timezone.now())


# The retailer fields that decide whether it meets an audience criterion of the kind.
AUDIENCE_FIELDS = {"grade": "grade", "region": "region", "route": "route"}


def survey_audiences_changed(*, fields, now=None) -> int:
    """Retailers moved between grades, regions or routes (`fields` names what changed): the
    published surveys still open that have a criterion of such a kind are handed back to the
    scheduled job, which notifies the retailers who joined their audience (and nobody twice).
    Returns the number of surveys."""
    kinds = {AUDIENCE_FIELDS[name] for name in fields if name in AUDIENCE_FIELDS}
    if not kinds:
        return 0
    now = now or timezone.now()
    of_kind = Q()
    for kind in kinds:
        of_kind |= CRITERIA[kind][0]
    criteria = SurveyTarget.objects.filter(of_kind, survey_id=OuterRef("pk"))
    return Survey.objects.filter(
        Exists(criteria),
        is_published=True,
        closes_at__gt=now,
        audience=Survey.Audience.SELECTED,
        notified_at__isnull=False,
    ).update(notified_at=None)


def survey_notices_due(*, now=None) -> int:
    """The scheduled job: notify the audiences of published surveys that are open and have not
    been notified (opened since the last run, or whose audience changed). Returns the number
    of surveys."""
    now = now or timezone.now()
    due = list(
        Survey.objects.filter(
            is_published=True, opens_at__lte=now, closes_at__gt=now, notified_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for survey_id in due:
        survey_notices_send(survey_id=survey_id, now=now)
    return len(due)
