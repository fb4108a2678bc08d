"""Nobody deletes a person: people leave the registry by withdrawal or anonymization (the admin
refuses deletion too). The administrator role held the delete permission since 0002: taken back."""

from django.db import migrations


def revoke_delete(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="beneficiaries", codename="delete_beneficiary")
    for group in Group.objects.filter(permissions__in=permissions).distinct():
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0009_search_indexes_postgresql"), ("core", "0001_roles")]

    operations = [migrations.RunPython(revoke_delete, migrations.RunPython.noop)]
