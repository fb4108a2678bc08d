from django.db import migrations

from core.roles import Role, grant

REVIEW = ["view_crossprojectmatch", "change_crossprojectmatch"]


def grant_review(apps, schema_editor):
    grant(apps, Role.ME_OFFICER, "beneficiaries", REVIEW)
    grant(apps, Role.ADMINISTRATOR, "beneficiaries", REVIEW)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0007_cross_project_matches"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_review, migrations.RunPython.noop)]
