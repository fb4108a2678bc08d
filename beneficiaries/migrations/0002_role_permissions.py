from django.db import migrations

from core.roles import Role, grant

WORK = ["add_beneficiary", "change_beneficiary", "view_beneficiary"]


def grant_beneficiary_permissions(apps, schema_editor):
    grant(apps, Role.FIELD_STAFF, "beneficiaries", WORK)
    grant(
        apps,
        Role.ME_OFFICER,
        "beneficiaries",
        [*WORK, "anonymize_beneficiary", "export_beneficiary", "view_accesslog", "view_distinctpersonconfirmation"],
    )
    grant(
        apps,
        Role.ADMINISTRATOR,
        "beneficiaries",
        [
            *WORK,
            "delete_beneficiary",
            "anonymize_beneficiary",
            "export_beneficiary",
            "view_accesslog",
            "view_distinctpersonconfirmation",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial"), ("core", "0001_roles")]

    operations = [migrations.RunPython(grant_beneficiary_permissions, migrations.RunPython.noop)]
