"""The directory's entry in the Wagtail admin menu."""

from django.urls import reverse_lazy
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.directory.permissions import may_import_employees


class EmployeeImportMenuItem(MenuItem):
    """The bulk import lives on the intranet (it previews the sheet before anything is made);
    administrators find it from the admin too."""

    def is_shown(self, request):
        return may_import_employees(request.user)


@hooks.register("register_admin_menu_item")
def register_employee_import_menu_item():
    return EmployeeImportMenuItem(
        pgettext_lazy("directory", "Import employees"),
        reverse_lazy("directory:import"),
        icon_name="upload",
        order=9000,
    )
