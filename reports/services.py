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

from beneficiaries.models import PHOTO_CONSENT, Beneficiary
from core.errors import ConflictError
from core.images import reencode_photo
from projects.models import Project

from . import figures as gate
from .live import audit_record
from .models import Release, Update, UpdatePhoto
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


# --- Updates: news of a project, public once approved ----------------------------------------------


@transaction.atomic
def update_save(*, update: Update, by, version: int | None = None) -> Update:
    """Write an update (new, or changed from ``version``). A change to an approved update withdraws
    its approval: nothing is public that its approver did not read. An edit started from a version
    someone has saved since is refused, never written over theirs."""
    if update.pk is None:
        update.created_by = by
        update.version = 1
    else:
        current = Update.objects.select_for_update().get(pk=update.pk)
        if version is not None and current.version != version:
            raise ConflictError(CHANGED_SINCE)
        update.version = current.version + 1
    update.edited_by = by
    update.approved_at = update.approved_by = None
    update.full_clean(exclude=["created_by", "edited_by"])
    update.save()
    return update


CHANGED_SINCE = gettext_lazy("Someone changed this update since you opened it. Read it again, then try again.")


@transaction.atomic
def update_approve(*, update: Update, by, version: int) -> Update:
    """Make an update public, as its approver read it (``version``). The approver is someone who
    neither wrote it, nor last changed it, nor added one of its photos (the database holds the
    first two): every word and picture made public was seen by a second person."""
    update = Update.objects.select_for_update().get(pk=update.pk)
    if update.version != version:
        raise ConflictError(CHANGED_SINCE)
    if by.pk in update.contributor_ids():
        raise ValidationError(_("An update is approved by someone who did not write it, change it or add its photos."))
    if update.is_published:
        return update
    update.approved_at, update.approved_by = timezone.now(), by
    update.save(update_fields=["approved_at", "approved_by", "updated_at"])
    logger.info({"event": "update_approved", "update": update.pk, "project": update.project.code, "user_id": by.pk})
    return update


@transaction.atomic
def update_unpublish(*, update: Update, by) -> Update:
    update = Update.objects.select_for_update().get(pk=update.pk)
    update.approved_at = update.approved_by = None
    update.save(update_fields=["approved_at", "approved_by", "updated_at"])
    logger.info({"event": "update_unpublished", "update": update.pk, "project": update.project.code, "user_id": by.pk})
    return update


def _changed(update: Update) -> None:
    """A photo added or removed: a new version, back for approval. Inside the caller's transaction,
    the update's row locked, so that an approval cannot slip in between."""
    locked = Update.objects.select_for_update().get(pk=update.pk)
    locked.version += 1
    locked.approved_at = locked.approved_by = None
    locked.save(update_fields=["version", "approved_at", "approved_by", "updated_at"])


def photo_add(*, update: Update, file, caption: str, shows_people: bool, references: list[str], by) -> UpdatePhoto:
    """Add a photo to an update, re-encoded without its metadata. A photo of people the project
    serves names each of them (by reference, in the update's project), and each must consent to
    photos today; otherwise nothing is kept. The update goes back for approval."""
    people = list(
        Beneficiary.objects.filter(project=update.project, reference__in=[r.strip().upper() for r in references])
    )
    found = {person.reference for person in people}
    unknown = [reference for reference in references if reference.strip().upper() not in found]
    if unknown:
        raise ValidationError(
            _("No person of this project has the reference %(references)s.") % {"references": ", ".join(unknown)}
        )
    if shows_people and not people:
        raise ValidationError(_("Name each person the photo shows by their reference."))
    if people and not shows_people:
        raise ValidationError(_("Tick “shows people the project serves” for a photo that names people."))
    consenting = set(
        Beneficiary.objects.filter(PHOTO_CONSENT, pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    refusing = [p.reference for p in people if p.pk not in consenting]
    if refusing:
        raise ValidationError(NO_PHOTO_CONSENT % {"references": ", ".join(refusing)})
    photo = reencode_photo(file)
    saved = UpdatePhoto(
        update=update,
        caption=caption,
        shows_people=shows_people,
        width=photo.width,
        height=photo.height,
        uploaded_by=by,
    )
    saved.image.save("photo.jpg", photo.content, save=False)
    try:
        with transaction.atomic():
            saved.full_clean(exclude=["image", "uploaded_by"])
            saved.save()
            saved.people.set(people)
            _changed(update)
    except Exception:
        saved.image.delete(save=False)  # no file of a photo that was not kept
        raise
    return saved


NO_PHOTO_CONSENT = gettext_lazy(
    "Not added: %(references)s has not consented to photos in the registry, or is no longer in it."
)


def photo_delete(*, photo: UpdatePhoto) -> None:
    image = photo.image
    with transaction.atomic():
        _changed(photo.update)
        photo.delete()
    image.storage.delete(image.name)
