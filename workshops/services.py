"""Writes for capacity-building events: the event and its topics, participants, registrations,
attendance and self-assessments. Each runs in one transaction; bad input raises a ValidationError
meant for the person who typed it, and writes nothing."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ConflictError
from core.names import name_key
from core.signals import data_changed
from projects.models import Organization, Project

from .models import AssessmentScore, AssessmentTopic, Participant, Registration, Workshop

SCORES = range(1, 6)


@transaction.atomic
def workshop_save(
    *, workshop: Workshop, organizers: Iterable[Organization] = (), topics: Iterable[str] = ()
) -> Workshop:
    """Create or update an event with its organizers and assessment topics (in order).

    A topic that already has scores cannot be removed: its answers would be lost.
    """
    workshop.full_clean()
    workshop.save()
    workshop.organizers.set(organizers)
    names = list(dict.fromkeys(name.strip()[:150] for name in topics if name.strip()))
    existing = {topic.name: topic for topic in workshop.assessment_topics.all()}
    dropped = [topic for name, topic in existing.items() if name not in names]
    scored = [topic.name for topic in dropped if topic.scores.exists()]
    if scored:
        raise ValidationError(
            _("These topics already have scores and cannot be removed: %(topics)s.") % {"topics": ", ".join(scored)}
        )
    AssessmentTopic.objects.filter(pk__in=[topic.pk for topic in dropped]).delete()
    for position, name in enumerate(names):
        AssessmentTopic.objects.update_or_create(workshop=workshop, name=name, defaults={"position": position})
    return workshop


def _derive(participant: Participant) -> None:
    participant.name_key = name_key(participant.first_name, participant.last_name)


def possible_duplicates(*, project: Project, first_name: str, last_name: str):
    """People of the project whose name folds to the same key: probably the same official."""
    return Participant.objects.filter(project=project, name_key=name_key(first_name, last_name)).select_related(
        "organization"
    )


@transaction.atomic
def participant_create(*, project: Project, data: Mapping) -> Participant:
    participant = Participant(project=project, **data)
    _derive(participant)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def register(*, workshop: Workshop, participants: Iterable[Participant]) -> list[Registration]:
    """Register people for an event, all or none."""
    people = list(participants)
    if not people:
        raise ValidationError(_("Choose at least one person to register."))
    strangers = [p for p in people if p.project_id != workshop.project_id]
    if strangers:
        raise ValidationError(_("Only participants of this project can be registered for its events."))
    already = set(
        Registration.objects.filter(workshop=workshop, participant__in=people).values_list(
            "participant__last_name", flat=True
        )
    )
    if already:
        raise ConflictError(_("Already registered for this event: %(names)s.") % {"names": ", ".join(sorted(already))})
    registrations = Registration.objects.bulk_create([Registration(workshop=workshop, participant=p) for p in people])
    data_changed.send(sender=Registration)
    return registrations


@transaction.atomic
def record_workshop_attendance(*, workshop: Workshop, marks: Mapping[int, str]) -> int:
    """Save who came to an event, for every registered person at once (a fixed number of queries)."""
    allowed = set(Registration.Attendance.values)
    if any(mark not in allowed for mark in marks.values()):
        raise ValidationError(_("Attendance is present or absent."))
    registrations = list(Registration.objects.filter(workshop=workshop, pk__in=list(marks)))
    if len(registrations) != len(marks):
        raise ValidationError(_("Attendance can only be taken for people registered for this event."))
    for registration in registrations:
        registration.attendance = marks[registration.pk]
    Registration.objects.bulk_update(registrations, ["attendance"])
    data_changed.send(sender=Registration)
    return len(registrations)


@transaction.atomic
def record_assessments(*, workshop: Workshop, scores: Mapping[tuple[int, int], tuple[int | None, int | None]]) -> int:
    """Save self-assessments: ``scores`` maps (registration id, topic id) to (before, after), each
    1 to 5 or None. Pairs with neither score are left out. A fixed number of queries."""
    for before, after in scores.values():
        for value in (before, after):
            if value is not None and value not in SCORES:
                raise ValidationError(_("A score goes from 1 to 5."), code="out_of_range")
    registration_ids = {registration for registration, _topic in scores}
    topic_ids = {topic for _registration, topic in scores}
    known_registrations = set(
        Registration.objects.filter(workshop=workshop, pk__in=registration_ids).values_list("pk", flat=True)
    )
    known_topics = set(AssessmentTopic.objects.filter(workshop=workshop, pk__in=topic_ids).values_list("pk", flat=True))
    if registration_ids - known_registrations or topic_ids - known_topics:
        raise ValidationError(_("Scores can only be recorded for people registered for this event, on its topics."))
    rows = [
        AssessmentScore(registration_id=registration, topic_id=topic, before=before, after=after)
        for (registration, topic), (before, after) in scores.items()
        if before is not None or after is not None
    ]
    AssessmentScore.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["registration", "topic"], update_fields=["before", "after"]
    )
    return len(rows)
