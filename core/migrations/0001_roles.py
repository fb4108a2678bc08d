from django.db import migrations

from core.roles import Role, grant


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    # Administrators manage users, their groups and (through projects) their memberships.
    grant(
        apps,
        Role.ADMINISTRATOR,
        "auth",
        [f"{action}_{model}" for model in ("user", "group") for action in ("add", "change", "delete", "view")],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
