import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from knowledge.models import KnowledgeType
from knowledge.services import AUDIENCE_EXTERNAL, AUDIENCE_INTERNAL, ArticleContent
from portal.files import validate_upload
from portal.search.forms import SearchForm

ATTACHMENT_SUFFIXES = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".png", ".jpg", ".jpeg"}
)
MAX_ATTACHMENTS = 10
MAX_TAGS = 10
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
MAX_IMAGES = 10
# A line break inside a paragraph, as old contributions (`<br>`) and Draftail (`<br/>`) write it.
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
LIST = re.compile(r"<(ul|ol)\b[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
LIST_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li>", re.IGNORECASE | re.DOTALL)


def _list_as_typed(match) -> str:
    """A list of the body as the lines an author types for it ("- item", "1. item")."""
    numbered = match[1].lower() == "ol"
    lines = [
        f"{number}. {item}" if numbered else f"- {item}"
        for number, item in enumerate(LIST_ITEM.findall(match[2]), start=1)
    ]
    return "<p>" + "<br/>".join(lines) + "</p>"


MAX_TABLE_ROWS, MAX_TABLE_COLUMNS, MAX_CELL = 50, 10, 500


def parse_table(text: str) -> list[list[str]]:
    """Rows of cells from lines of text: one row per line, cells separated by tabs (as pasted
    from a spreadsheet) or by "|"; empty lines are skipped. The first row is the headings."""
    rows = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        if "\t" in line:
            cells = line.split("\t")
        else:
            stripped = line.strip()
            if stripped.startswith("|"):
                stripped = stripped[1:]
            if stripped.endswith("|"):
                stripped = stripped[:-1]
            cells = stripped.split("|")
        rows.append([cell.strip() for cell in cells])
    return rows


def table_text(value: dict) -> str:
    """The lines of a table block's raw value, as the form shows them."""
    lines = [" | ".join(column.get("heading") or "" for column in value.get("columns") or [])]
    for row in value.get("rows") or []:
        lines.append(" | ".join("" if cell is None else str(cell) for cell in row.get("values")))
    return "\n".join(lines)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ContributionForm(forms.Form):
    """An employee's article with every kind of block a body has: text, pictures, a table,
    steps, a warning, and files attached."""

    title = forms.CharField(label=pgettext_lazy("knowledge", "Title"), max_length=200)
    audience = forms.ChoiceField(
        label=_("Readers"),
        choices=[
            (AUDIENCE_INTERNAL, _("Employees (internal knowledge base)")),
            (AUDIENCE_EXTERNAL, _("Retailers (external knowledge base on the extranet)")),
        ],
        initial=AUDIENCE_INTERNAL,
        widget=forms.RadioSelect,
    )
    knowledge_type = forms.ModelChoiceField(
        label=pgettext_lazy("knowledge", "Knowledge type"),
        queryset=KnowledgeType.objects.all(),
        empty_label=None,
    )
    tags = forms.CharField(
        label=pgettext_lazy("knowledge", "Tags"),
        required=False,
        max_length=300,
        help_text=_("Separate tags with commas, e.g. 烘丝机, 含水率."),
    )
    summary = forms.CharField(
        label=pgettext_lazy("knowledge", "Summary"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(
        label=pgettext_lazy("knowledge", "Text"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Leave an empty line between paragraphs."),
    )
    images = MultipleFileField(
        label=_("Pictures"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP; up to 10, shown after the text."),
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    table = forms.CharField(
        label=_("Table"),
        required=False,
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "kb-table-source"}),
        help_text=_(
            "Optional. One row per line, the first line holds the column headings; separate "
            "the cells with | or a tab (paste from a spreadsheet)."
        ),
    )
    steps = forms.CharField(
        label=pgettext_lazy("knowledge", "Steps"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One step per line, in order (optional)."),
    )
    warning = forms.CharField(
        label=_("Warning"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A safety or quality caution readers must not miss (optional)."),
    )
    attachments = MultipleFileField(
        label=pgettext_lazy("knowledge", "Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, text or pictures; up to 10 files."),
    )

    def __init__(self, *args, allow_audience=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_audience:
            del self.fields["audience"]

    def clean_tags(self):
        tags = []
        for part in self.cleaned_data["tags"].replace("，", ",").split(","):
            tag = " ".join(part.split())[:100]
            if tag and tag not in tags:
                tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("Use at most %(count)d tags.") % {"count": MAX_TAGS})
        return tags

    def clean_table(self):
        rows = parse_table(self.cleaned_data["table"])
        if not rows:
            return []
        if len(rows) < 2:
            raise ValidationError(
                _("A table needs a line of headings and at least one row under it.")
            )
        if len(rows) > MAX_TABLE_ROWS + 1:
            raise ValidationError(
                _("A table can have at most %(count)d rows.") % {"count": MAX_TABLE_ROWS}
            )
        if max(len(row) for row in rows) > MAX_TABLE_COLUMNS:
            raise ValidationError(
                _("A table can have at most %(count)d columns.") % {"count": MAX_TABLE_COLUMNS}
            )
        if any(len(cell) > MAX_CELL for row in rows for cell in row):
            raise ValidationError(
                _("A table cell can hold at most %(count)d characters.") % {"count": MAX_CELL}
            )
        return rows

    def clean_images(self):
        from PIL import Image, UnidentifiedImageError

        uploads = self.cleaned_data["images"]
        if len(uploads) > MAX_IMAGES:
            raise ValidationError(
                _("Add at most %(count)d pictures at a time.") % {"count": MAX_IMAGES}
            )
        errors = []
        for upload in uploads:
            try:
                validate_upload(
                    upload,
                    allowed_suffixes=IMAGE_SUFFIXES,
                    max_bytes=settings.FILE_UPLOAD_LIMIT_BYTES,
                )
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            try:
                with Image.open(upload) as picture:
                    picture.verify()
            except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
                errors.append(
                    _("%(name)s is not a picture that can be shown.") % {"name": upload.name}
                )
            finally:
                upload.seek(0)
        if errors:
            raise ValidationError(errors)
        return uploads

    def clean_attachments(self):
        uploads = self.cleaned_data["attachments"]
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)d files at a time.") % {"count": MAX_ATTACHMENTS}
            )
        errors = []
        for upload in uploads:
            try:
                validate_upload(
                    upload,
                    allowed_suffixes=ATTACHMENT_SUFFIXES,
                    max_bytes=settings.FILE_UPLOAD_LIMIT_BYTES,
                )
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def content(self) -> ArticleContent:
        data = self.cleaned_data
        return ArticleContent(
            title=data["title"],
            knowledge_type=data["knowledge_type"],
            summary=data["summary"],
            text=data["text"],
            steps=data["steps"].splitlines(),
            warning=data["warning"],
            tags=data["tags"],
            table=data["table"],
        )

    @classmethod
    def initial_for(cls, article) -> dict:
        """The form's fields from the article's latest revision (what the author last saved)."""
        text, steps, warning, table = [], [], [], ""
        from portal.search.indexes import richtext_to_plain

        for block in article.body.raw_data:
            kind, value = block.get("type"), block.get("value")
            if kind == "text":
                html = LIST.sub(_list_as_typed, str(value))
                html = LINE_BREAK.sub("\n", html.replace("</p>", "</p>\n\n"))
                text.append(re.sub(r"[ \t]+\n", "\n", richtext_to_plain(html)))
            elif kind == "steps" and isinstance(value, dict):
                for item in value.get("steps") or []:
                    steps.append(item.get("value") if isinstance(item, dict) else str(item))
            elif kind == "warning" and isinstance(value, dict):
                warning.append(value.get("text") or "")
            elif kind == "table" and isinstance(value, dict) and not table:
                table = table_text(value)
        return {
            "title": article.title,
            "knowledge_type": article.knowledge_type_id,
            "tags": ", ".join(tag.name for tag in article.tags.all()),
            "summary": article.summary,
            "text": "\n\n".join(text),
            "steps": "\n".join(steps),
            "warning": "\n".join(warning),
            "table": table,
        }


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this helpful?"),
        choices=[
            ("yes", pgettext_lazy("helpful vote", "Yes")),
            ("no", pgettext_lazy("helpful vote", "No")),
        ],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(
        label=pgettext_lazy("knowledge", "Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BrowseForm(forms.Form):
    """The list's narrowing and order; anything unknown is not an error (empty or default)."""

    type = forms.CharField(required=False, max_length=64)
    department = forms.CharField(required=False, max_length=32)
    tag = forms.CharField(required=False, max_length=100)
    sort = forms.CharField(required=False, max_length=20)
    page = forms.CharField(required=False, max_length=20)


class KnowledgeSearchForm(SearchForm):
    type = forms.CharField(required=False, max_length=64)
    department = forms.CharField(required=False, max_length=32)
