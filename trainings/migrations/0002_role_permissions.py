from django.db import migrations

from core.roles import Role, grant

# Field staff run trainings day to day: sessions, enrollments, attendance, completion, follow-ups.
RUN = [
    "view_training",
    "complete_training",
    "add_session",
    "change_session",
    "view_session",
    "add_enrollment",
    "change_enrollment",
    "view_enrollment",
    "add_attendance",
    "change_attendance",
    "view_attendance",
    "add_followup",
    "view_followup",
    "add_businesssupport",
    "change_businesssupport",
    "view_businesssupport",
]
# M&E officers also plan them.
PLAN = ["add_training", "change_training", "change_followup"]
DELETE = ["delete_training", "delete_session", "delete_enrollment", "delete_attendance", "delete_followup"]


def grant_training_permissions(apps, schema_editor):
    grant(apps, Role.FIELD_STAFF, "trainings", RUN)
    grant(apps, Role.ME_OFFICER, "trainings", [*RUN, *PLAN])
    grant(apps, Role.ADMINISTRATOR, "trainings", [*RUN, *PLAN, *DELETE, "delete_businesssupport"])


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_training_permissions, migrations.RunPython.noop)]
