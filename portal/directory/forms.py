from django import forms
from django.utils.translation import gettext_lazy as _


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Find a colleague"), required=False, max_length=100)


class EmployeeImportForm(forms.Form):
    sheet = forms.FileField(
        label=_("Sheet"),
        help_text=_(
            "Excel (.xlsx) or CSV with a heading row: employee number, name, department, email "
            "(required), position, phone, extension, office. Chinese headings (工号, 姓名, 部门, "
            "邮箱, 职位, 电话, 分机, 办公室) work too."
        ),
    )
