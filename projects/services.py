"""Writes with rules on a project's results framework: hand-entered values are submitted by the
person who entered them and approved by another before a release may carry them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError

from .models import IndicatorValue

Status = IndicatorValue.Status


@transaction.atomic
def submit_indicator_value(*, value: IndicatorValue, by) -> IndicatorValue:
    value = IndicatorValue.objects.select_for_update().get(pk=value.pk)
    if value.status != Status.DRAFT:
        raise ConflictError(_("Only a draft value can be submitted."))
    value.status, value.submitted_by = Status.SUBMITTED, by
    value.save(update_fields=["status", "submitted_by"])
    return value


@transaction.atomic
def approve_indicator_value(*, value: IndicatorValue, by) -> IndicatorValue:
    value = IndicatorValue.objects.select_for_update().get(pk=value.pk)
    if value.status != Status.SUBMITTED:
        raise ConflictError(_("Only a submitted value can be approved."))
    if value.submitted_by_id == by.pk:
        raise ValidationError(_("A value is approved by someone other than the person who submitted it."))
    value.status, value.approved_by, value.approved_at = Status.APPROVED, by, timezone.now()
    value.save(update_fields=["status", "approved_by", "approved_at"])
    return value


def reopen_if_changed(value: IndicatorValue, changed_fields) -> None:
    """A submitted or approved value whose figures are edited is a draft again: what was approved
    is not what it now says."""
    if value.pk and {"value", "period_start", "period_end"} & set(changed_fields):
        value.status, value.submitted_by, value.approved_by, value.approved_at = Status.DRAFT, None, None, None
