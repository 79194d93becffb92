"""What the search finds in the directory: colleagues, by the directory's own rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from haystack import indexes

from portal.directory.search_sql import DirectoryRow, directory_search_rows
from portal.directory.selectors import BY_OTHER_DETAILS
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


_MARK = 987654321


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
        position, extension, email or number follow the other kinds. One statement reads the
        matches with what their results show (`search_sql.directory_search_rows`)."""
        ranked, _total = directory_search_rows(user=user, query=query, face=face, limit=limit + 1)
        found = ranked[:limit]
        return DirectMatches(
            leading=[row.pk for row in found if row.rank < BY_OTHER_DETAILS],
            trailing=[row.pk for row in found if row.rank >= BY_OTHER_DETAILS],
            truncated=len(ranked) > limit,
            rows={row.pk: row for row in found},
        )

    def result_queryset(self, *, face):
        return Employee.objects.select_related("user", "department", "position")

    def result(self, employee, *, face):
        return self.results([employee], face=face)[0]

    def results(self, people, *, face):
        """Employees (`result_queryset()`) or the directory's rows (`DirectoryRow`), their
        links made from one reversed address."""
        card_url = reverse("directory:person", args=[_MARK]).replace(str(_MARK), "{}")
        extension_label = _("Ext. %(extension)s")
        texts = []
        for person in people:
            if isinstance(person, DirectoryRow):
                department = person.department_display
                position = person.position_display
                email = person.email
            else:
                department = person.department.display_name
                position = person.position.display_name if person.position else ""
                email = person.user.email
            details = [
                f"{person.name} ({person.name_pinyin})",
                department,
                position,
                str(extension_label % {"extension": person.extension}) if person.extension else "",
                email,
            ]
            texts.append(
                ResultText(
                    title=person.name,
                    url=card_url.format(person.pk),
                    text=" · ".join(part for part in details if part),
                )
            )
        return texts
