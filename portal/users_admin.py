"""Wagtail admin's user pages with the portal's rule on roles: nobody gives themselves the
identity-auditor role (shown as an error on the form; `portal.roles` refuses it at the
database's door for every other path)."""

from django import forms
from wagtail.users.forms import UserEditForm
from wagtail.users.views.users import IndexView, UserViewSet

from portal.roles import self_grant_refusal


class PortalUserEditForm(UserEditForm):
    def __init__(self, *args, **kwargs):
        self.editing_self = kwargs.get("editing_self", False)
        super().__init__(*args, **kwargs)

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if self.editing_self and groups is not None:
            held = set(self.instance.groups.values_list("name", flat=True))
            refusal = self_grant_refusal(
                actor=self.instance,
                user=self.instance,
                group_names={group.name for group in groups} - held,
            )
            if refusal is not None:
                raise forms.ValidationError(refusal.message)
        return groups


class PortalUserIndexView(IndexView):
    def get_base_queryset(self):
        # Users are listed by name (`User.get_full_name` reads the employee): one join for the
        # page rather than a query per row.
        return super().get_base_queryset().select_related("employee")


class PortalUserViewSet(UserViewSet):
    index_view_class = PortalUserIndexView

    def get_form_class(self, for_update=False):
        if for_update:
            return PortalUserEditForm
        return super().get_form_class(for_update)
