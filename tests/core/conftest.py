"""What the access matrix and the admin sweep share: one row of every model the admin shows."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from api.services import token_issue
from beneficiaries.jobs import check_import
from beneficiaries.models import CrossProjectMatch, DistinctPersonConfirmation, ExportJob, ImportJob
from projects.models import Component, Indicator, IndicatorValue, Partnership, Sector
from reports.models import Release, Update, UpdatePhoto
from reports.services import publish_release, update_approve

from ..factories import (
    FundingFactory,
    LocationFactory,
    OrganizationFactory,
    ProjectFactory,
    make_beneficiary,
    training_objects,
    workshop_objects,
)


@pytest.fixture
def objects(personas, project, other_project):
    """One row of every model the admin shows, so that every object URL can be built."""
    FundingFactory(project=project)
    LocationFactory()
    Component.objects.create(project=project, number=1, title_fr="Composante")
    Sector.objects.create(project=project, code="11330", percentage=100)
    # Someone of a third project, first (the admin's object URLs take each model's first row: FM.0390's),
    # who looks like an FM.0390 person: a match only the two projects' officers may see.
    third_project = ProjectFactory()
    elsewhere = make_beneficiary(
        third_project, personas["admin"], first_name="Yao", last_name="Kouassi", phone="+212600000099"
    )
    beneficiary = make_beneficiary(project, personas["field_staff"])
    twin = make_beneficiary(project, personas["field_staff"], first_name="Awa")
    DistinctPersonConfirmation.objects.create(beneficiary=twin, other=beneficiary, confirmed_by=personas["me_officer"])
    CrossProjectMatch.objects.create(beneficiary=twin, other=elsewhere, score=80, reasons="residence_card_number")
    trainings = training_objects(project, beneficiary, personas["field_staff"])
    workshops = workshop_objects(project)
    security_objects(personas["admin"])
    indicator = Indicator.objects.create(project=project, code="1", level="outcome", name_fr="Taux Zircon", target=10)
    IndicatorValue.objects.create(indicator=indicator, period_start="2024-01-01", period_end="2024-12-31", value=3)
    _release(project, personas["me_officer"])
    token, _key = token_issue(
        user=personas["field_staff"],
        name="KoboToolbox",
        scope="read",
        expires_at=timezone.now() + timedelta(days=30),
        by=personas["admin"],
    )
    return {
        "api_token": token,
        **job_objects(project, personas["me_officer"]),
        **update_objects(project, personas["field_staff"], personas["me_officer"]),
        "project": project,
        "other_project": other_project,
        "beneficiary": beneficiary,
        **trainings,
        **workshops,
        **personas,
    }


# The release every test of the matrix needs, as its audit found it: the audit (HiGHS) was half of
# this fixture's time, run for each of some 1,500 tests on the same data; it runs once per process.
_AUDITED = {}


def _release(project, me_officer) -> Release:
    if not _AUDITED:
        release = publish_release(project=project, by=me_officer)
        fields = ("period_start", "period_end", "figures", "counts", "audit")
        _AUDITED.update({field: getattr(release, field) for field in fields})
        return release
    return Release.objects.create(project=project, number=1, published_by=me_officer, **_AUDITED)


def update_objects(project, field_staff, me_officer) -> dict:
    """An update written by field staff and approved by the M&E officer, with a photo of no one."""
    update = Update.objects.create(
        project=project,
        title="Remise des certificats",
        text="Texte",
        happened_on="2024-06-01",
        created_by=field_staff,
        edited_by=field_staff,
    )
    update_approve(update=update, by=me_officer, version=update.version)
    photo = UpdatePhoto(update=update, caption="La salle", width=8, height=6, uploaded_by=field_staff)
    photo.image.save("photo.jpg", ContentFile(jpeg_bytes()))
    partner = OrganizationFactory(name="Association partenaire")
    partner.logo.save("logo.png", ContentFile(jpeg_bytes()))
    Partnership.objects.create(project=project, organization=partner, role=Partnership.Role.IMPLEMENTING)
    return {"update": update, "photo": photo, "partner": partner}


def jpeg_bytes(size=(8, 6), exif=None) -> bytes:
    """A small JPEG, with the EXIF given (Pillow's ``Image.Exif``) if any."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="JPEG", **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def job_objects(project, me_officer) -> dict:
    """An import checked and waiting, and an export ready: the M&E officer's own."""
    import_job = ImportJob.objects.create(
        project=project, created_by=me_officer, filename="liste.csv", language="fr", status=ImportJob.Status.CHECKED
    )
    export_job = ExportJob(created_by=me_officer, filename="export.csv", file_format="csv", language="fr")
    export_job.status = ExportJob.Status.READY
    export_job.file.save("export.csv", ContentFile(b"\xef\xbb\xbfReference\n"))
    # The task row of a job, as the database backend keeps it (shown in the admin).
    check_import.using(backend="database").enqueue(str(import_job.pk))
    return {"import_job": import_job, "export_job": export_job}


def security_objects(admin_user) -> None:
    """One row of each model django-axes and django-otp show in the admin."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone", "path_info": "/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", http_accept="", failures_since_start=1)
    AccessLog.objects.create(**attempt, http_accept="")
    AccessFailureLog.objects.create(**attempt, http_accept="", locked_out=False)
    TOTPDevice.objects.create(user=admin_user, name="phone")
    StaticDevice.objects.create(user=admin_user, name="recovery")
