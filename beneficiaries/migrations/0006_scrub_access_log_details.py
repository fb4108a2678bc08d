"""Access-log lines written before the log kept codes only: an export's filter values (a searched
name or phone) and a withdrawal's typed reason are removed, the filter names and known codes kept."""

from django.db import migrations

WITHDRAWAL_CODES = {"moved", "found_work", "not_interested", "consent_withdrawn", "unreachable", "other"}


def scrub(apps, schema_editor):
    AccessLog = apps.get_model("beneficiaries", "AccessLog")
    for log in AccessLog.objects.filter(action="export").exclude(detail="").iterator():
        parts = log.detail.split(" ", 3)
        if len(parts) == 4:
            names = sorted({pair.split("=", 1)[0] for pair in parts[3].split("&") if pair})
            log.detail = " ".join([*parts[:3], ",".join(names)])[:500]
            log.save(update_fields=["detail"])
    AccessLog.objects.filter(action="withdraw").exclude(detail__in=WITHDRAWAL_CODES).update(detail="")


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0005_list_order_indexes")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
