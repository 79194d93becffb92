"""The mass notices' models belong to the `notices` app from here on (`notices.0001_initial`
takes them over with their tables); only the state of `portal` changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_notice_body_format"),
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="NoticeAttachment"),
                migrations.DeleteModel(name="NoticeDelivery"),
                migrations.DeleteModel(name="Notice"),
            ],
            database_operations=[],
        ),
    ]
