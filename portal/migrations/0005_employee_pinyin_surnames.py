"""Recompute the pinyin columns: surnames read as surnames (单 → shan), and the compact form."""

from django.db import migrations


def recompute(apps, schema_editor):
    from portal.names import pinyin_initials, pinyin_of

    Employee = apps.get_model("portal", "Employee")
    changed = []
    for employee in Employee.objects.only("pk", "name").iterator(chunk_size=1000):
        employee.name_pinyin = pinyin_of(employee.name)
        employee.name_pinyin_compact = employee.name_pinyin.replace(" ", "")
        employee.name_initials = pinyin_initials(employee.name)
        changed.append(employee)
    Employee.objects.bulk_update(
        changed, ["name_pinyin", "name_pinyin_compact", "name_initials"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_directory_and_notices")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
