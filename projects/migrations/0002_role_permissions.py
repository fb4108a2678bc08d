from django.db import migrations

from core.roles import Role, grant

MODELS = ["project", "organization", "location", "funding", "membership", "component", "sector"]


def grant_project_permissions(apps, schema_editor):
    grant(apps, Role.DONOR, "projects", ["view_project"])
    for role in (Role.FIELD_STAFF, Role.ME_OFFICER):
        grant(apps, role, "projects", ["view_project", "view_organization", "view_location"])
    grant(apps, Role.ME_OFFICER, "projects", ["add_organization", "change_organization"])
    grant(
        apps,
        Role.ADMINISTRATOR,
        "projects",
        [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")],
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_project_permissions, migrations.RunPython.noop)]
