"""Partial indexes for the home page's pinned and unacknowledged notices, instead of the plain
index on expires_at that misled SQLite's planner (see Notice.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0002_discussions"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="notice",
            name="bulletins_n_expires_d81c52_idx",
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(
                condition=models.Q(("pinned", True)),
                fields=["expires_at"],
                name="bulletins_notice_pinned_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(
                condition=models.Q(("must_acknowledge", True)),
                fields=["expires_at"],
                name="bulletins_notice_must_ack_idx",
            ),
        ),
    ]
