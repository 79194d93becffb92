"""The single destination of report types and reports goes, once 0003 has copied it into the
destinations and deliveries. A migration of its own: on PostgreSQL a table cannot be altered in
the transaction that updated its rows while deferred foreign-key checks are pending."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_report_destinations"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='circularreport',
            name='reports_inbox',
        ),
        migrations.RemoveField(
            model_name='circularreport',
            name='destination',
        ),
        migrations.RemoveField(
            model_name='reporttype',
            name='destination',
        ),
    ]
