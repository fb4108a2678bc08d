from django.db import migrations

from core.roles import Role, grant


def grant_release_permissions(apps, schema_editor):
    # The M&E officer publishes and withdraws the project's releases; administrators too.
    for role in (Role.ME_OFFICER, Role.ADMINISTRATOR):
        grant(apps, role, "reports", ["publish_release", "view_release"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_releases"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_release_permissions, migrations.RunPython.noop)]
