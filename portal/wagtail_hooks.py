"""Wagtail admin for the people model and the audit log."""

import django_filters
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal import audit
from portal.file_access import document_read_checked
from portal.models import AuditEntry, Department, Employee, Position, User
from portal.roles import flags_record
from portal.services import employee_create, employee_update, user_issue_password


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The audit log is written by services only; nobody adds, edits or deletes entries."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RelatedIndexView(IndexView):
    """A listing that fetches the objects its columns show in the same query."""

    select_related: tuple[str, ...] = ()

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.select_related)


class AuditLogIndexView(RelatedIndexView):
    # The actor's employee gives their name (User.get_full_name) without a query per row.
    select_related = ("actor__employee",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit.target_names(context["object_list"])
        return context


class AuditLogInspectView(InspectView):
    """One entry: its sentence first, the actor by name and the action by its label."""

    def get_sentence_display_value(self):
        audit.target_names([self.object])
        return self.object.sentence()

    def get_actor_display_value(self):
        return self.object.actor_name()

    def get_action_display_value(self):
        return self.object.action_label()


class AuditLogFilterSet(WagtailFilterSet):
    # The actions every app declared (portal/audit.py), by their labels in the reader's language.
    action = django_filters.ChoiceFilter(label=_("action"), choices=audit.choices)

    class Meta:
        model = AuditEntry
        fields = ["action"]


class DepartmentIndexView(RelatedIndexView):
    select_related = ("parent", "head")


register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry))


class AuditLogViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    list_display = ["created_at", "sentence", "reason"]
    filterset_class = AuditLogFilterSet
    search_fields = ["action", "target_repr", "reason"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "sentence",
        "created_at",
        "actor",
        "action",
        "target_repr",
        "reason",
        "data",
        "ip_address",
    ]
    copy_view_enabled = False
    exclude_form_fields = []

    index_view_class = AuditLogIndexView
    inspect_view_class = AuditLogInspectView


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = pgettext_lazy("portal", "Departments")
    list_display = ["name", "name_en", "code", "parent", "head"]
    search_fields = ["name", "name_en", "code"]
    form_fields = ["name", "name_en", "code", "parent", "head", "sort_order"]
    copy_view_enabled = False

    index_view_class = DepartmentIndexView


class NoDeletePermissionPolicy(ModelPermissionPolicy):
    """People are never deleted (their history stays): they are deactivated instead."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Employee, NoDeletePermissionPolicy(Employee))


class EmployeeAdminForm(WagtailAdminModelForm):
    """The directory entry plus the account fields an administrator maintains. A password
    typed here is issued through `user_issue_password` (changed at the next sign-in)."""

    email = forms.EmailField(label=_("Email address"))
    is_active = forms.BooleanField(
        label=pgettext_lazy("employee", "Active"),
        required=False,
        initial=True,
        help_text=_(
            "Untick when the person leaves: they disappear from the directory and can no "
            "longer sign in; their history is kept."
        ),
    )
    new_password = forms.CharField(
        label=_("Issue a password"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current one. The person must change it on sign-in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            self.fields["is_active"].initial = self.instance.user.is_active
            self.fields["employee_number"].disabled = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.user_id)
        if taken.exists():
            raise forms.ValidationError(_("Another account uses this email address."))
        return email

    def clean_employee_number(self):
        number = self.cleaned_data["employee_number"]
        if not self.instance.pk and User.objects.filter(username__iexact=number).exists():
            raise forms.ValidationError(_("An account with this employee number exists."))
        return number

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        if password:
            validate_password(password, user=self.instance.user if self.instance.pk else None)
        return password


EMPLOYEE_FIELDS = ["name", "department", "position", "phone", "extension", "office"]


class EmployeeCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        employee = employee_create(
            employee_number=data["employee_number"],
            email=data["email"],
            actor=self.request.user,
            **{name: data[name] for name in EMPLOYEE_FIELDS},
        )
        if data["new_password"]:
            user_issue_password(
                user=employee.user, password=data["new_password"], actor=self.request.user
            )
        if not data["is_active"]:
            employee_update(
                employee=employee,
                actor=self.request.user,
                email=data["email"],
                is_active=False,
                fields={},
            )
        return employee


class EmployeeEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return employee_update(
            employee=self.form.instance,
            actor=self.request.user,
            email=data["email"],
            is_active=data["is_active"],
            password=data["new_password"],
            fields={name: data[name] for name in EMPLOYEE_FIELDS},
        )


class EmployeeIndexView(RelatedIndexView):
    select_related = ("user", "department", "position")


class EmployeeViewSet(ModelViewSet):
    model = Employee
    icon = "user"
    menu_label = pgettext_lazy("portal", "Employees")
    list_display = ["name", "employee_number", "department", "position", "extension"]
    list_filter = ["department", "user__is_active"]
    search_fields = ["name", "name_pinyin_compact", "name_initials", "employee_number", "extension"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("employee_number"),
            FieldPanel("name"),
            FieldPanel("email"),
            FieldPanel("department"),
            FieldPanel("position"),
            FieldPanel("phone"),
            FieldPanel("extension"),
            FieldPanel("office"),
            FieldPanel("is_active"),
            FieldPanel("new_password"),
        ],
        base_form_class=EmployeeAdminForm,
    )
    index_view_class = EmployeeIndexView
    add_view_class = EmployeeCreateView
    edit_view_class = EmployeeEditView


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Positions")
    list_display = ["name", "name_en", "rank"]
    form_fields = ["name", "name_en", "rank"]
    copy_view_enabled = False


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = pgettext_lazy("portal", "People")
    menu_icon = "group"
    items = (EmployeeViewSet, DepartmentViewSet, PositionViewSet, AuditLogViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()


# Wagtail's document URLs (/files/<id>/<name>) answer only whoever may read the document.
hooks.register("before_serve_document", document_read_checked, order=-100)


@hooks.register("after_bulk_action")
def audit_bulk_active_state(request, action_type, objects, action_class_instance):
    """Wagtail's bulk (de)activation updates users in one query, past the save signals that
    audit the active flag: record it here (the objects still hold the state before)."""
    if action_type != "set_active_state" or not objects or objects[0]._meta.model is not User:
        return
    active = action_class_instance.cleaned_form.cleaned_data["mark_as_active"]
    for user in objects:
        if user.pk != request.user.pk and user.is_active != active:
            user.is_active = active
            flags_record(user=user, before={"is_active": not active}, created=False)
