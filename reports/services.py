"""Publishing a project's results: releases are made here, and never changed after, except to be
withdrawn."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from projects.models import Project

from . import figures as gate
from .live import audit_record
from .models import Release
from .selectors import latest_release

logger = logging.getLogger("masar.reports")


# Said when the audit cannot make the figures safe (reports.jobs says it to the person who asked).
UNSAFE = gettext_lazy("These figures cannot be published safely. Nothing was published.")


@transaction.atomic
def publish_release(*, project: Project, by) -> Release:
    """Publish the project's figures as they stand today, protected and audited against the
    previous release. Two publications of one project queue on its row."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    previous = latest_release(project)
    figures, protection, counts = gate.build(project, previous=previous)
    if not protection.safe:  # withholding whole tables always ends safe; refuse rather than trust it
        raise ValidationError(UNSAFE)
    today = timezone.localdate()
    start = previous.period_end + timedelta(days=1) if previous else (project.start_date or today)
    number = (project.releases.aggregate(last=Max("number"))["last"] or 0) + 1
    release = Release.objects.create(
        project=project,
        number=number,
        period_start=min(start, today),
        period_end=today,
        figures=figures.data,
        counts=counts,
        audit=audit_record(protection),
        published_by=by,
    )
    logger.info({"event": "release_published", "project": project.code, "number": number, "user_id": by.pk})
    return release


@transaction.atomic
def withdraw_release(*, release: Release, by, reason: str) -> Release:
    """Take a release back: readers see the one before it again. The reason is kept and logged."""
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError(_("Say why the release is withdrawn."))
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.is_withdrawn:
        raise ConflictError(_("This release is already withdrawn."))
    release.withdrawn_at, release.withdrawn_by, release.withdrawal_reason = timezone.now(), by, reason
    release.save(update_fields=Release.WITHDRAWAL_FIELDS)
    logger.info(
        {"event": "release_withdrawn", "project": release.project.code, "number": release.number, "user_id": by.pk}
    )
    return release
