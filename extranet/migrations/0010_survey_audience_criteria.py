"""A survey's audience is all retailers or chosen criteria that combine (grades 1–3 in one
region): the four one-kind audiences become "selected", with the same rows as criteria, which
address exactly the same retailers as before (one kind of criterion)."""

from django.db import migrations, models

ONE_KIND = ("grades", "regions", "routes", "retailers")


def forward(apps, schema_editor):
    Survey = apps.get_model("extranet", "Survey")
    Survey.objects.filter(audience__in=ONE_KIND).update(audience="selected")


def backward(apps, schema_editor):
    """Back to one kind: a survey whose criteria mix kinds keeps the kind of its first row
    (the old schema cannot say "and")."""
    Survey = apps.get_model("extranet", "Survey")
    SurveyTarget = apps.get_model("extranet", "SurveyTarget")
    for survey in Survey.objects.filter(audience="selected"):
        first = SurveyTarget.objects.filter(survey=survey).order_by("pk").first()
        if first is None or first.grade is not None:
            kind = "grades"
        elif first.region:
            kind = "regions"
        elif first.route_id:
            kind = "routes"
        else:
            kind = "retailers"
        Survey.objects.filter(pk=survey.pk).update(audience=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("extranet", "0009_value_parts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="survey",
            name="audience",
            field=models.CharField(
                choices=[
                    ("all", "All retailers"),
                    ("selected", "Retailers matching the chosen criteria"),
                ],
                default="all",
                max_length=16,
                verbose_name="audience",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
