"""Writes to the registry. Each runs in one transaction and keeps history and the access log."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from core.names import fold, name_key
from core.security import log_event
from core.signals import data_changed
from core.transactions import commit_without_waiting_for_disk
from projects.models import Project

from .models import (
    AccessLog,
    AgeGroup,
    Beneficiary,
    CrossProjectMatch,
    DistinctPersonConfirmation,
    ReferenceSequence,
    WithdrawalReason,
    age_on,
)

EDITABLE_FIELDS = [
    "first_name",
    "last_name",
    "other_first_name",
    "other_last_name",
    "sex",
    "date_of_birth",
    "nationality",
    "city",
    "phone",
    "languages",
    "education_level",
    "prior_occupation",
    "regularization_year",
    "residence_card_number",
    "residence_card_expiry",
    "has_disability",
    "consent_processing",
    "consent_processing_date",
    "consent_processing_method",
    "consent_sharing",
    "consent_sharing_date",
    "consent_sharing_method",
    "consent_photos",
    "consent_photos_date",
    "consent_photos_method",
]


def log_access(*, user, beneficiary: Beneficiary, action: str, detail: str = "") -> AccessLog:
    """Record who did what to which record. ``detail`` must never hold personal data."""
    return AccessLog.objects.create(
        user=user,
        project_id=beneficiary.project_id,
        reference=beneficiary.reference,
        action=action,
        detail=detail[:500],
    )


def log_view(*, user, beneficiary: Beneficiary, detail: str = "") -> AccessLog:
    """Record that ``user`` read a person's record (``detail``: which part of it, never personal
    data). The line is written before the page is, and its commit does not wait for the disk
    (``core.transactions``): a read changes no one's data."""
    with commit_without_waiting_for_disk():
        return log_access(user=user, beneficiary=beneficiary, action=AccessLog.Action.VIEW, detail=detail)


def log_export(*, user, queryset, ip: str, filter_names: Iterable[str], file_format: str, for_partners: bool) -> int:
    """Log an export: one access-log line per project it covers (who, when, the names of the filters
    used, how many rows) and a security event. Filter values are not kept: a searched name or phone
    is personal data. Returns the number of rows."""
    per_project = dict(queryset.order_by().values_list("project").annotate(rows=Count("id")))
    filters = ",".join(sorted(filter_names))[:300]
    detail = f"{file_format} {'partner' if for_partners else 'internal'} rows={{rows}} {filters}".strip()
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user, project_id=project, action=AccessLog.Action.EXPORT, detail=detail.format(rows=rows)[:500]
            )
            for project, rows in per_project.items()
        ]
    )
    total = sum(per_project.values())
    log_event("export", user=user, ip=ip, format=file_format, partner=for_partners, rows=total)
    return total


def _save_version(beneficiary: Beneficiary, *, reason: str, by, is_new: bool = False) -> None:
    """Save a change as a new version: history names who saved it and why (a code, see CHANGE_REASONS)."""
    if not is_new:
        beneficiary.version += 1
    beneficiary._change_reason = reason
    beneficiary._history_user = by
    beneficiary.save()


def reserve_references(project: Project, count: int = 1) -> list[str]:
    """The next ``count`` references of ``project`` (FM0390-000123), never handed out before.

    The sequence row is locked until the transaction ends, so concurrent registrations and imports
    queue here and each takes its own numbers; a number is never reused, even after deletion.
    """
    sequence, _created = ReferenceSequence.objects.get_or_create(project=project)
    sequence = ReferenceSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_number + 1
    sequence.last_number = F("last_number") + count
    sequence.save(update_fields=["last_number"])
    return [f"{project.compact_code}-{number:06d}" for number in range(first, first + count)]


def derive_fields(beneficiary: Beneficiary) -> None:
    """Fill the fields computed from what staff typed: the name keys and the age group."""
    beneficiary.name_key = name_key(beneficiary.first_name, beneficiary.last_name)
    other_name = beneficiary.other_full_name
    beneficiary.other_name_key = (
        name_key(beneficiary.other_first_name, beneficiary.other_last_name) if other_name else ""
    )
    search_name_length = Beneficiary._meta.get_field("search_name").max_length
    beneficiary.search_name = fold(f"{beneficiary.full_name} {other_name}")[:search_name_length]
    if beneficiary.date_of_birth:
        registered_on = timezone.localdate(beneficiary.created_at) if beneficiary.created_at else timezone.localdate()
        beneficiary.age_group = AgeGroup.for_age(age_on(beneficiary.date_of_birth, registered_on))


def record_cross_project_matches(matches: Iterable[tuple[Beneficiary, object]]) -> None:
    """Put likely duplicates in projects the registering user is not a member of on the review list
    of the two projects' M&E officers: (person registered, duplicates.Candidate) pairs, one query."""
    CrossProjectMatch.objects.bulk_create(
        [
            CrossProjectMatch(
                beneficiary=beneficiary,
                other=candidate.beneficiary,
                score=candidate.score,
                reasons=",".join(candidate.reasons),
            )
            for beneficiary, candidate in matches
        ],
        ignore_conflicts=True,
    )


def cross_project_matches_review(*, matches, by) -> int:
    """Mark matches across projects as reviewed by ``by`` (after checking with the other project's
    M&E officer). Returns how many were still open."""
    reviewed = matches.filter(reviewed_at__isnull=True).update(reviewed_by=by, reviewed_at=timezone.now())
    data_changed.send(sender=CrossProjectMatch)  # an update sends no signal; counts kept in the cache move on
    return reviewed


@transaction.atomic
def beneficiary_create(
    *, project: Project, data: dict, by, distinct_from: Iterable[Beneficiary] = (), cross_project: Iterable = ()
) -> Beneficiary:
    """Register a person in ``project``. ``distinct_from``: likely duplicates staff said are not them;
    ``cross_project``: likely duplicates in projects the user may not see, to be reviewed."""
    beneficiary = Beneficiary(project=project, created_by=by, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    derive_fields(beneficiary)
    (beneficiary.reference,) = reserve_references(project)
    beneficiary.full_clean()
    _save_version(beneficiary, reason="registered", by=by, is_new=True)
    DistinctPersonConfirmation.objects.bulk_create(
        [DistinctPersonConfirmation(beneficiary=beneficiary, other=other, confirmed_by=by) for other in distinct_from]
    )
    record_cross_project_matches((beneficiary, candidate) for candidate in cross_project)
    log_access(user=by, beneficiary=beneficiary, action=AccessLog.Action.CREATE)
    return beneficiary


def check_editable(*, current: Beneficiary, version: int) -> None:
    """An edit started from ``version`` may be saved over ``current`` (the stored record): nobody saved
    it since, and it is not anonymized. Raises ConflictError. The admin's form asks this too, early,
    so that its page can show the message; ``beneficiary_update`` asks again with the row locked."""
    if current.version != version:
        raise ConflictError(
            _(
                "Someone else saved this record while you were editing it. Your changes were not saved: "
                "reload the page to see the current version, then make your changes again."
            )
        )
    if current.status == Beneficiary.Status.ANONYMIZED:
        raise ConflictError(_("This record is anonymized and can no longer be edited."))


@transaction.atomic
def beneficiary_update(*, beneficiary: Beneficiary, data: dict, version: int, by) -> Beneficiary:
    """Apply an edit started from ``version``; refuse it if someone saved the record since."""
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    check_editable(current=current, version=version)
    changed = []
    for field in EDITABLE_FIELDS:
        if field in data and getattr(current, field) != data[field]:
            setattr(current, field, data[field])
            changed.append(field)
    if not changed:
        return current
    derive_fields(current)
    current.full_clean()
    _save_version(current, reason="edited", by=by)
    # Field names only: the log says what kind of change, never the values.
    log_access(user=by, beneficiary=current, action=AccessLog.Action.EDIT, detail=",".join(changed))
    return current


@transaction.atomic
def beneficiary_withdraw(*, beneficiary: Beneficiary, by, reason: str = "") -> Beneficiary:
    """The person left the project or withdrew consent: kept for the record, out of new activities.
    ``reason`` is a WithdrawalReason code (or empty), never free text: it goes into the access log."""
    if reason and reason not in WithdrawalReason.values:
        raise ValueError(f"Unknown withdrawal reason: {reason[:20]!r}")
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if current.status != Beneficiary.Status.ACTIVE:
        raise ConflictError(_("Only an active record can be withdrawn."))
    current.status = Beneficiary.Status.WITHDRAWN
    _save_version(current, reason="withdrawn", by=by)
    log_access(user=by, beneficiary=current, action=AccessLog.Action.WITHDRAW, detail=reason)
    return current


@transaction.atomic
def beneficiary_anonymize(*, beneficiary: Beneficiary, by) -> Beneficiary:
    """Wipe a person's identity, in the record and in its history, keeping what aggregates use
    (project, sex, age group, nationality, city, status, dates of activity)."""
    current = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if current.status == Beneficiary.Status.ANONYMIZED:
        raise ConflictError(_("This record is already anonymized."))
    wiped = {name: None if Beneficiary._meta.get_field(name).null else "" for name in Beneficiary.IDENTITY_FIELDS}
    for field, value in wiped.items():
        setattr(current, field, value)
    current.status = Beneficiary.Status.ANONYMIZED
    _save_version(current, reason="anonymized", by=by)
    # Earlier versions hold the identity too. The history table leaves out the derived name columns.
    history_fields = {field.name for field in current.history.model._meta.get_fields()}
    current.history.update(**{field: value for field, value in wiped.items() if field in history_fields})
    DistinctPersonConfirmation.objects.filter(other=current).delete()
    log_access(user=by, beneficiary=current, action=AccessLog.Action.ANONYMIZE)
    return current
