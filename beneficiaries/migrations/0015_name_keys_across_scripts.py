"""Every stored name key recomputed with the key that reads Arabic script and particles
(core.names, December 2026): keys written before would not meet the new ones."""

from django.db import migrations

from core.names import name_key


def recompute(apps, schema_editor):
    Beneficiary = apps.get_model("beneficiaries", "Beneficiary")
    batch = []
    for person in Beneficiary.objects.only("pk", "first_name", "last_name", "name_key").iterator(chunk_size=2000):
        key = name_key(person.first_name, person.last_name)
        if key != person.name_key:
            person.name_key = key
            batch.append(person)
        if len(batch) >= 2000:
            Beneficiary.objects.bulk_update(batch, ["name_key"])
            batch = []
    Beneficiary.objects.bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0014_import_and_export_jobs")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
