from django.db import migrations

from core.roles import Role, grant


def grant_import(apps, schema_editor):
    for role in (Role.ME_OFFICER, Role.ADMINISTRATOR):
        grant(apps, role, "beneficiaries", ["import_beneficiary"])


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0003_import_permission"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_import, migrations.RunPython.noop)]
