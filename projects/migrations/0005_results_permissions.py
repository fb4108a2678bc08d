from django.db import migrations

from core.roles import Role, grant

RESULTS = [
    "add_indicator",
    "change_indicator",
    "view_indicator",
    "add_indicatorvalue",
    "change_indicatorvalue",
    "view_indicatorvalue",
]


def grant_results(apps, schema_editor):
    grant(apps, Role.ME_OFFICER, "projects", RESULTS)
    grant(apps, Role.ADMINISTRATOR, "projects", [*RESULTS, "delete_indicator", "delete_indicatorvalue"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_results_framework"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_results, migrations.RunPython.noop)]
