"""The blocks of an article's body: text, images, tables, steps, warnings and attachments."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from portal.search.indexes import richtext_to_plain


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=pgettext_lazy("knowledge", "image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "knowledge/blocks/image.html"


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=pgettext_lazy("knowledge", "title"), required=False, max_length=255
    )
    steps = blocks.ListBlock(blocks.TextBlock(label=_("step")), label=_("steps"))

    class Meta:
        icon = "list-ol"
        label = pgettext_lazy("knowledge", "Steps")
        template = "knowledge/blocks/steps.html"


class WarningBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(
        label=pgettext_lazy("knowledge", "level"),
        choices=[
            ("caution", pgettext_lazy("knowledge", "Caution")),
            ("danger", pgettext_lazy("knowledge", "Danger")),
        ],
        default="caution",
    )
    text = blocks.TextBlock(label=pgettext_lazy("knowledge", "text"))

    class Meta:
        icon = "warning"
        label = _("Warning")
        template = "knowledge/blocks/warning.html"


class AttachmentBlock(blocks.StructBlock):
    attachment = SnippetChooserBlock(
        "knowledge.ArticleAttachment", label=pgettext_lazy("knowledge", "attachment")
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = pgettext_lazy("knowledge", "Attachment")
        template = "knowledge/blocks/attachment.html"


class ArticleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=pgettext_lazy("knowledge", "Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
    )
    image = ImageBlock()
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=pgettext_lazy("knowledge", "Text"))),
            ("number", blocks.DecimalBlock(label=pgettext_lazy("value kind", "Number"))),
        ],
        label=_("Table"),
        template="knowledge/blocks/table.html",
    )
    steps = StepsBlock()
    warning = WarningBlock()
    attachment = AttachmentBlock()


def _list_items(value) -> list:
    # A ListBlock's raw data is a list of {"type": "item", "value": …} (or of plain values).
    return [item.get("value") if isinstance(item, dict) else item for item in value or []]


def body_plain_text(body) -> str:
    """The words of a body, for the search index and snippets (no markup). Read from the raw
    data, so that no chooser block fetches its image or attachment."""
    parts = []
    for block in body.raw_data:
        kind, value = block.get("type"), block.get("value")
        if kind == "text":
            parts.append(richtext_to_plain(value))
        elif not isinstance(value, dict):
            continue
        elif kind == "steps":
            parts.append(value.get("title") or "")
            parts.extend(str(step) for step in _list_items(value.get("steps")))
        elif kind == "warning":
            parts.append(value.get("text") or "")
        elif kind in ("image", "attachment"):
            parts.append(value.get("caption") or "")
        elif kind == "table":
            parts.append(value.get("caption") or "")
            parts.extend(column.get("heading") or "" for column in value.get("columns") or [])
            for row in value.get("rows") or []:
                parts.extend(str(cell) for cell in row.get("values") or [] if cell is not None)
    return " ".join(part for part in parts if part)
