from django.db import migrations

from core.roles import Role, grant

# Field staff and M&E officers run capacity-building events and keep their participants.
RUN = [
    "add_workshop",
    "change_workshop",
    "view_workshop",
    "add_participant",
    "change_participant",
    "view_participant",
    "add_registration",
    "change_registration",
    "view_registration",
    "add_assessmenttopic",
    "change_assessmenttopic",
    "view_assessmenttopic",
    "add_assessmentscore",
    "change_assessmentscore",
    "view_assessmentscore",
]
DELETE = [
    "delete_workshop",
    "delete_participant",
    "delete_registration",
    "delete_assessmenttopic",
    "delete_assessmentscore",
]


def grant_workshop_permissions(apps, schema_editor):
    for role in (Role.FIELD_STAFF, Role.ME_OFFICER):
        grant(apps, role, "trainings", RUN)
        # A participant's institution may be new to Masar: staff add it.
        grant(apps, role, "projects", ["add_organization", "view_organization"])
    grant(apps, Role.ADMINISTRATOR, "trainings", [*RUN, *DELETE])


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_workshops"),
        ("projects", "0003_organization_types"),
        ("core", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant_workshop_permissions, migrations.RunPython.noop)]
