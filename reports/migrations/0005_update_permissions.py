from django.db import migrations

from core.roles import Role, grant


def grant_update_permissions(apps, schema_editor):
    # Staff of a project write its updates and add their photos; the M&E officer (and the
    # administrator) approve them for the public.
    writing = ["view_update", "add_update", "change_update", "add_updatephoto", "delete_updatephoto"]
    grant(apps, Role.FIELD_STAFF, "reports", writing)
    for role in (Role.ME_OFFICER, Role.ADMINISTRATOR):
        grant(apps, role, "reports", [*writing, "approve_update"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_updates"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_update_permissions, migrations.RunPython.noop)]
