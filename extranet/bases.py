"""Abstract bases shared by extranet models that keep the same kind of rows for different
parents (a feedback item, a market report). Abstract: each child keeps its own table."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class AttachedPhoto(models.Model):
    """A photo attached to an item. The child adds the parent key and `file` (with its own
    upload folder)."""

    name = models.CharField(pgettext_lazy("page", "file name"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return self.name


class HistoryEvent(models.Model):
    """One line of an item's history: when, by whom and a text. The child adds the parent key
    and `kind` (with its own `Kind` choices)."""

    at = models.DateTimeField(pgettext_lazy("page", "at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("page", "by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(pgettext_lazy("page", "text"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
