"""Contributions stored before the fix wrote a line break as an unclosed `<br>`, which makes
Wagtail's rich-text converter fail (500) on the knowledge editor's edit page. Rewrite it as
`<br/>` in the articles' bodies and in every revision of them (the editor opens the latest
revision). The contributed text was escaped, so every `<br>` in a text block is our own."""

import json
import re

from django.db import migrations

UNCLOSED_BREAK = re.compile(r"<br\s*>", re.IGNORECASE)


def _fixed_blocks(blocks):
    """The blocks with their text values fixed, and whether anything changed."""
    changed = False
    fixed = []
    for block in blocks or []:
        if (
            isinstance(block, dict)
            and block.get("type") == "text"
            and isinstance(block.get("value"), str)
            and UNCLOSED_BREAK.search(block["value"])
        ):
            block = {**block, "value": UNCLOSED_BREAK.sub("<br/>", block["value"])}
            changed = True
        fixed.append(block)
    return fixed, changed


def close_line_breaks(apps, schema_editor):
    ArticlePage = apps.get_model("knowledge", "ArticlePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    for page in ArticlePage.objects.all().only("pk", "body"):
        blocks, changed = _fixed_blocks(list(page.body.raw_data))
        if changed:
            page.body = blocks
            page.save(update_fields=["body"])

    content_type = ContentType.objects.filter(app_label="knowledge", model="articlepage").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).only("pk", "content"):
        body = (revision.content or {}).get("body")
        as_text = isinstance(body, str)
        try:
            blocks = json.loads(body) if as_text else body
        except ValueError:
            continue
        if not isinstance(blocks, list):
            continue
        blocks, changed = _fixed_blocks(blocks)
        if changed:
            revision.content = {
                **revision.content,
                "body": json.dumps(blocks, ensure_ascii=False) if as_text else blocks,
            }
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("knowledge", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(close_line_breaks, migrations.RunPython.noop, elidable=True),
    ]
