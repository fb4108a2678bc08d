from django.db import migrations

from core.roles import Role, grant


def grant_token_permissions(apps, schema_editor):
    # Administrators issue, read and revoke API tokens (in the admin); nobody else sees them.
    grant(apps, Role.ADMINISTRATOR, "api", ["view_apitoken", "add_apitoken", "change_apitoken", "delete_apitoken"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_token_permissions, migrations.RunPython.noop)]
