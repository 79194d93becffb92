"""The mass notices' models move from the `portal` app to `notices` with their tables: the
state is created here over the existing tables (nothing is done to the database), and the
content types are renamed, so that permissions, audit entries and admin log rows that point
at them stay valid and no new content types are made."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import portal.notices.models

MODELS = ("notice", "noticeattachment", "noticedelivery")


def content_types_rename(old_label, new_label):
    def rename(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MODELS:
            if content_types.filter(app_label=new_label, model=model).exists():
                continue
            content_types.filter(app_label=old_label, model=model).update(app_label=new_label)
        ContentType.objects.clear_cache()

    return rename


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0006_notice_body_format"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="body")),
                        (
                            "body_format",
                            models.CharField(
                                choices=[("text", "Plain text"), ("html", "Rich text")],
                                default="text",
                                max_length=8,
                                verbose_name="body format",
                            ),
                        ),
                        ("body_html", models.TextField(editable=False, verbose_name="body (HTML)")),
                        (
                            "audience",
                            models.JSONField(default=dict, verbose_name="recipients chosen"),
                        ),
                        (
                            "audience_label",
                            models.CharField(blank=True, max_length=500, verbose_name="recipients"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                ],
                                db_index=True,
                                default="draft",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                verbose_name="created",
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="sent"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished"),
                        ),
                        (
                            "sender",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="notices_sent",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="sender",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notice",
                        "verbose_name_plural": "notices",
                        "db_table": "portal_notice",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["sender", "-created_at"],
                                name="portal_noti_sender__244acb_idx",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="NoticeAttachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                max_length=300,
                                upload_to=portal.notices.models.attachment_path,
                                verbose_name="file",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="file name")),
                        ("size", models.PositiveBigIntegerField(default=0, verbose_name="size")),
                        (
                            "content_type",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="content type"
                            ),
                        ),
                        (
                            "notice",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="notices.notice",
                                verbose_name="notice",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "attachment",
                        "verbose_name_plural": "attachments",
                        "db_table": "portal_noticeattachment",
                        "ordering": ["id"],
                    },
                ),
                migrations.CreateModel(
                    name="NoticeDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, verbose_name="email address")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
                        ),
                        (
                            "last_error",
                            models.CharField(blank=True, max_length=500, verbose_name="last error"),
                        ),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="next attempt"
                            ),
                        ),
                        (
                            "claimed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="claimed"),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="sent"),
                        ),
                        (
                            "notice",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="notices.notice",
                                verbose_name="notice",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="notice_deliveries",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recipient",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "delivery",
                        "verbose_name_plural": "deliveries",
                        "db_table": "portal_noticedelivery",
                        "ordering": ["id"],
                        "indexes": [
                            models.Index(
                                fields=["notice", "status"], name="portal_noti_notice__4d0bf1_idx"
                            ),
                            models.Index(
                                fields=["recipient", "notice"],
                                name="portal_noti_recipie_b63116_idx",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("notice", "recipient"),
                                name="portal_delivery_once_per_recipient",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_rename("portal", "notices"), content_types_rename("notices", "portal")
        ),
    ]
