"""People (users, departments, positions, employees), the audit log and the intranet home page."""

from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal import audit
from portal.names import in_reader_language, pinyin_initials, pinyin_of
from portal.pages import PortalPageMixin


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Employee numbers and licence numbers are typed in any case.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A login. Employees sign in with their employee number, retailers' staff with their
    licence number (or the login name issued with it); both may also use their email."""

    class Kind(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        RETAILER = "retailer", _("Retailer")

    username = models.CharField(
        _("login name"),
        max_length=64,
        unique=True,
        help_text=_("Employee number for employees, licence number for retailers."),
        error_messages={"unique": _("A user with that login name already exists.")},
    )
    email = models.EmailField(pgettext_lazy("portal", "email address"), blank=True)
    kind = models.CharField(
        pgettext_lazy("portal", "kind"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.EMPLOYEE,
        db_index=True,
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=True,
        help_text=_("Set when an administrator issues a password; cleared when the user sets one."),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = pgettext_lazy("portal", "user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="portal_user_unique_email"
            )
        ]
        indexes = [
            # The directory finds colleagues by the start of their email address: on
            # PostgreSQL only a pattern index answers LIKE 'x%' (unless the database's
            # collation is "C"); it answers equality too.
            models.Index(
                fields=["email"], name="portal_user_email_prefix", opclasses=["varchar_pattern_ops"]
            ),
            # The few deactivated accounts, which the directory leaves out of its lists
            # (portal.directory.search_sql.employees_visible_to_sql).
            models.Index(fields=["id"], condition=Q(is_active=False), name="portal_user_inactive"),
        ]

    @property
    def is_employee(self):
        return self.kind == self.Kind.EMPLOYEE

    @property
    def is_retailer(self):
        return self.kind == self.Kind.RETAILER

    def get_full_name(self):
        """The person's name as colleagues know it: an employee's name in the directory (the
        first and last name fields stay empty for them). Wagtail's admin shows users by this,
        so submitters and authors read as names, not employee numbers."""
        from portal.selectors import employee_of

        employee = employee_of(self) if self.pk else None
        if employee is not None:
            return employee.name
        return super().get_full_name()

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class BilingualName(models.Model):
    """A name kept in Chinese and English, shown in the reader's language."""

    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(
        pgettext_lazy("portal", "name (English)"), max_length=150, blank=True
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return in_reader_language(self.name, self.name_en)


class Department(BilingualName):
    """A department of the factory, or a section inside one (one level of nesting)."""

    code = models.SlugField(pgettext_lazy("portal", "code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
    )
    head = models.ForeignKey(
        "portal.Employee",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    sort_order = models.PositiveIntegerField(pgettext_lazy("portal", "sort order"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("portal", "department")
        verbose_name_plural = pgettext_lazy("portal", "departments")
        ordering = ["sort_order", "name"]


class Position(BilingualName):
    """A job title (director, section chief, inspector, …); rank orders people in a department."""

    rank = models.PositiveSmallIntegerField(
        _("rank"), default=100, help_text=_("Lower ranks are listed first.")
    )

    class Meta:
        verbose_name = pgettext_lazy("portal", "position")
        verbose_name_plural = _("positions")
        ordering = ["rank", "name"]


class Employee(models.Model):
    """A member of the factory's staff, as the directory shows them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("portal", "user"),
        on_delete=models.PROTECT,
        related_name="employee",
    )
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(pgettext_lazy("portal", "name"), max_length=64, db_index=True)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, editable=False)
    # The pinyin written together ("zhangwei"), so that a prefix of it is an indexed lookup.
    name_pinyin_compact = models.CharField(
        _("name in pinyin, written together"),
        max_length=200,
        editable=False,
        db_index=True,
        default="",
    )
    name_initials = models.CharField(_("initials"), max_length=32, editable=False, db_index=True)
    department = models.ForeignKey(
        Department,
        verbose_name=pgettext_lazy("portal", "department"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=pgettext_lazy("portal", "position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="holders",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    extension = models.CharField(_("extension"), max_length=16, blank=True, db_index=True)
    office = models.CharField(_("office"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["department__sort_order", "position__rank", "name_pinyin"]
        indexes = [models.Index(fields=["name_pinyin"])]

    def __str__(self):
        return f"{self.name} ({self.employee_number})"

    def save(self, *args, **kwargs):
        # Derived columns so that pinyin search is an indexed lookup, not a computation per row.
        self.name_pinyin = pinyin_of(self.name)
        self.name_pinyin_compact = self.name_pinyin.replace(" ", "")
        self.name_initials = pinyin_initials(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "name_pinyin",
                "name_pinyin_compact",
                "name_initials",
            }
        super().save(*args, **kwargs)

    @property
    def email(self):
        return self.user.email

    @property
    def is_active(self):
        return self.user.is_active


class AuditEntry(models.Model):
    """One thing someone did to something: who, what, to which object, when and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(pgettext_lazy("portal", "action"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("portal", "object type"),
    )
    target_id = models.CharField(
        max_length=64, blank=True, verbose_name=pgettext_lazy("portal", "object id")
    )
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    reason = models.TextField(pgettext_lazy("portal", "reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("portal", "time"), default=timezone.now, db_index=True
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.sentence()}"

    def sentence(self) -> str:
        """What happened, as a sentence in the reader's language with the actor's name."""
        return audit.sentence_of(self)

    sentence.short_description = _("What happened")

    def action_label(self) -> str:
        """The action's name in the reader's language."""
        return audit.label_of(self.action)

    action_label.short_description = _("action")

    def actor_name(self) -> str:
        """Who did it, by name (never the login id)."""
        return audit.actor_name(self.actor)

    actor_name.short_description = _("actor")


class TaskLease(models.Model):
    """The lease of a running background task (`portal.tasks_lease`): the worker running it
    renews `expires_at` while it is alive. A task row left RUNNING whose lease has expired
    belongs to a worker that died; the scheduler's sweep fails and resumes it."""

    # The id of the DBTaskResult row (django_tasks_db) the lease is for.
    task_id = models.UUIDField(pgettext_lazy("task lease", "task"), primary_key=True)
    task_path = models.CharField(pgettext_lazy("task lease", "task path"), max_length=255)
    worker_id = models.CharField(pgettext_lazy("task lease", "worker"), max_length=64, blank=True)
    host = models.CharField(pgettext_lazy("task lease", "host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(pgettext_lazy("task lease", "process id"), null=True)
    taken_at = models.DateTimeField(pgettext_lazy("task lease", "taken"), default=timezone.now)
    renewed_at = models.DateTimeField(pgettext_lazy("task lease", "renewed"), default=timezone.now)
    expires_at = models.DateTimeField(pgettext_lazy("task lease", "expires"), db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("task lease", "task lease")
        verbose_name_plural = pgettext_lazy("task lease", "task leases")

    def __str__(self):
        return f"{self.task_path} ({self.task_id}) until {self.expires_at:%H:%M:%S}"


class FaceHomePage(PortalPageMixin, Page):
    """The root page of a face's site: one per face, directly under Wagtail's root."""

    intro = RichTextField(pgettext_lazy("portal", "introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        abstract = True


class IntranetHomePage(FaceHomePage):
    """The root of the intranet site."""

    class Meta:
        verbose_name = _("intranet home page")
        verbose_name_plural = _("intranet home pages")

    def get_context(self, request, *args, **kwargs):
        from portal import home
        from portal.selectors import employee_of

        context = super().get_context(request, *args, **kwargs)
        context["employee"] = employee_of(request.user)
        # A callable: the template calls it where the panels go, inside the page's rendering.
        context["panels"] = partial(home.render_panels, request, "intranet")
        return context


class InformationPage(PortalPageMixin, Page):
    """A plain page of information (help, contacts, rules of the portal) on either face."""

    body = RichTextField(pgettext_lazy("portal", "body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = [
        "portal.IntranetHomePage",
        "extranet.ExtranetHomePage",
        "portal.InformationPage",
    ]

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
