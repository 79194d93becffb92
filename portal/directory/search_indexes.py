"""What the search finds in the directory: colleagues, by the directory's own rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from haystack import indexes

from portal.directory.selectors import BY_OTHER_DETAILS, directory_search
from portal.models import Employee
from portal.search.registry import DirectMatches, PortalSearchIndex, ResultText, SearchKind
from portal.search.visibility import employees_visible_to


def pinyin_runs(pinyin: str) -> list[str]:
    """Every run of neighbouring syllables written together, so that a name is found however
    its pinyin is split: 欧阳娜娜 → `ou`, `ouyang`, `ouyangnana`, `yang`, `nana`, …"""
    syllables = pinyin.split()
    return [
        "".join(syllables[start:end])
        for start in range(len(syllables))
        for end in range(start + 1, len(syllables) + 1)
    ]


class EmployeeIndex(PortalSearchIndex, indexes.Indexable):
    """A colleague, found by name (also in pinyin however it is split, and by initials: 张伟,
    `zhang wei`, `zhangwei`, `zw`), department, position, extension, email or employee number."""

    model = Employee
    kind = SearchKind("people", _("People"), order=10)
    faces = ("intranet",)
    related = {
        "user": ("email",),
        "department": ("name", "name_en"),
        "position": ("name", "name_en"),
    }

    def indexed_queryset(self, *, face):
        return Employee.objects.select_related("user", "department", "position")

    def visible_to(self, *, user, queryset, face):
        return employees_visible_to(user=user, queryset=queryset, face=face)

    def title_text(self, employee):
        return employee.name

    def text_parts(self, employee):
        department, position = employee.department, employee.position
        return [
            employee.name,
            # Each character too, so that a surname or given name alone finds the person.
            " ".join(employee.name),
            employee.name_initials,
            *pinyin_runs(employee.name_pinyin),
            employee.employee_number,
            department.name,
            department.name_en,
            position.name if position else "",
            position.name_en if position else "",
            employee.extension,
            employee.user.email,
        ]

    def direct_matches(self, *, user, query, face, limit):
        """The directory's own search, so that the search page and the directory find the same
        colleagues by the same rules (a name also finds the longer names starting with it:
        王超 finds 王超兰, which the index's word segmentation would not). Colleagues named by
        the query (name, pinyin, initials) lead the results; those found by department,
        position, extension, email or number follow the other kinds."""
        ranked = directory_search(user=user, query=query, face=face, limit=None).values_list(
            "pk", "rank"
        )[: limit + 1]
        ranked = list(ranked)
        found = ranked[:limit]
        return DirectMatches(
            leading=[pk for pk, rank in found if rank < BY_OTHER_DETAILS],
            trailing=[pk for pk, rank in found if rank >= BY_OTHER_DETAILS],
            truncated=len(ranked) > limit,
        )

    def result_queryset(self, *, face):
        return Employee.objects.select_related("user", "department", "position")

    def result(self, employee, *, face):
        position = employee.position.display_name if employee.position else ""
        details = [
            f"{employee.name} ({employee.name_pinyin})",
            employee.department.display_name,
            position,
            str(_("Ext. %(extension)s") % {"extension": employee.extension})
            if employee.extension
            else "",
            employee.user.email,
        ]
        return ResultText(
            title=employee.name,
            url=reverse("directory:person", args=[employee.pk]),
            text=" · ".join(part for part in details if part),
        )
