"""Surveys, their questions and choices, the audience, and the retailers' responses.

A retailer has at most one response per survey (a database constraint): it is a draft until
submitted, and submitted once. A survey's structure (questions and choices) is locked as soon as
any response exists, so that answers always refer to the questions that were asked.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Survey(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", _("All retailers")
        SELECTED = "selected", _("Retailers matching the chosen criteria")

    title = models.CharField(pgettext_lazy("survey", "title"), max_length=200)
    introduction = models.TextField(pgettext_lazy("survey", "introduction"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ALL
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    is_published = models.BooleanField(pgettext_lazy("survey", "published"), default=False)
    # When the addressed retailers were last notified that the survey is open (None: not yet,
    # or the audience changed since): the scheduler notifies open surveys without it.
    notified_at = models.DateTimeField(_("retailers notified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="extranet_survey_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at


class SurveyTarget(models.Model):
    """One criterion value of a survey's audience: a grade, a region, a route or a retailer
    (one field set per row). A retailer is addressed when, for every kind of criterion the
    survey has, it matches one of its values: grades 1–3 in 西湖区 is three grade rows and one
    region row."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="targets"
    )
    grade = models.PositiveSmallIntegerField(
        pgettext_lazy("survey", "grade"), null=True, blank=True
    )
    region = models.CharField(
        pgettext_lazy("survey", "administrative region"), max_length=64, blank=True
    )
    route = models.ForeignKey(
        "extranet.DeliveryRoute",
        verbose_name=pgettext_lazy("survey", "delivery route"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    retailer = models.ForeignKey(
        "extranet.Retailer",
        verbose_name=pgettext_lazy("survey", "retailer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey audience member")
        verbose_name_plural = _("survey audience members")
        indexes = [
            models.Index(fields=["grade"]),
            models.Index(fields=["region"]),
        ]

    def __str__(self):
        return str(self.grade or self.region or self.route_id or self.retailer_id)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating 1–5")
        NUMBER = "number", pgettext_lazy("value kind", "Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("survey", "position"), default=0)
    kind = models.CharField(pgettext_lazy("survey", "kind"), max_length=16, choices=Kind.choices)
    text = models.CharField(pgettext_lazy("survey", "question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(pgettext_lazy("survey", "required"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many choices"), null=True, blank=True
    )
    min_value = models.DecimalField(
        _("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in self.TEXT_KINDS


class Choice(models.Model):
    question = models.ForeignKey(
        Question,
        verbose_name=pgettext_lazy("survey", "question"),
        on_delete=models.CASCADE,
        related_name="choices",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("survey", "position"), default=0)
    label = models.CharField(_("choice"), max_length=200)

    class Meta:
        verbose_name = _("survey choice")
        verbose_name_plural = _("survey choices")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.label


class SurveyResponse(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("survey", "Submitted")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    retailer = models.ForeignKey(
        "extranet.Retailer",
        verbose_name=pgettext_lazy("survey", "retailer"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        pgettext_lazy("survey", "status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    started_at = models.DateTimeField(pgettext_lazy("survey", "started at"), default=timezone.now)
    submitted_at = models.DateTimeField(
        pgettext_lazy("survey", "submitted at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One response per retailer and survey: the draft becomes the submitted response.
            models.UniqueConstraint(
                fields=["survey", "retailer"], name="extranet_one_response_per_retailer"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="extranet_submitted_response_has_time",
            ),
        ]
        indexes = [models.Index(fields=["survey", "status"])]

    def __str__(self):
        return f"{self.survey} · {self.retailer_id}"


class Answer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question,
        verbose_name=pgettext_lazy("survey", "question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    text = models.TextField(pgettext_lazy("survey", "text"), blank=True)
    number = models.DecimalField(
        pgettext_lazy("survey", "number"), max_digits=12, decimal_places=2, null=True
    )
    choices = models.ManyToManyField(
        Choice, verbose_name=_("choices"), blank=True, related_name="answers"
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="extranet_one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.response_id} · {self.question_id}"


class SurveyNotice(models.Model):
    """A retailer was told that a survey addressed to it is open: once per retailer and survey
    (a database constraint), by a mail to its logins and a notice on the extranet home that
    stays until the retailer opens the survey."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="notices"
    )
    retailer = models.ForeignKey(
        "extranet.Retailer",
        verbose_name=pgettext_lazy("survey", "retailer"),
        on_delete=models.CASCADE,
        related_name="survey_notices",
    )
    created_at = models.DateTimeField(_("notified at"), default=timezone.now)
    emailed_to = models.PositiveSmallIntegerField(_("mails sent"), default=0)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey notice")
        verbose_name_plural = _("survey notices")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "retailer"], name="extranet_survey_notice_once"
            )
        ]
        indexes = [models.Index(fields=["retailer", "seen_at"])]

    def __str__(self):
        return f"{self.survey_id} · {self.retailer_id}"
