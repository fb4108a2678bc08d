"""Reads of capacity-building events and their participants, scoped to the user's projects."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.names import fold, skeleton
from core.scoping import for_member
from projects.models import Organization

from .models import AssessmentScore, Participant, Registration, Workshop


def workshop_list(*, user) -> QuerySet[Workshop]:
    return (
        for_member(Workshop.objects.all(), user)
        .select_related("city", "project")
        .annotate(
            registered_count=Count("registrations"),
            present_count=Count("registrations", filter=Q(registrations__attendance="present")),
        )
        .order_by("-start_date", "title")
    )


def workshop_get(*, user, pk: int) -> Workshop:
    return get_object_or_404(for_member(Workshop.objects.select_related("city", "project"), user), pk=pk)


def registrations_of(*, workshop: Workshop) -> QuerySet[Registration]:
    return workshop.registrations.select_related("participant__organization").order_by(
        "participant__last_name", "participant__first_name", "id"
    )


def participant_search(*, workshop: Workshop, search: str, limit: int = 30) -> QuerySet[Participant]:
    """People of the event's project matching ``search`` (name in any spelling, organization),
    not yet registered for it."""
    words = fold(search).split()
    if not words:
        return Participant.objects.none()
    # Every word must match the name: as typed, or spelled another way (the same consonant
    # skeleton as one word of the name key: "Mohamed" finds "Mohammed").
    name_match = Q()
    for word in words:
        key = skeleton(word)
        name_match &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(name_key=key)
            | Q(name_key__startswith=f"{key} ")
            | Q(name_key__endswith=f" {key}")
            | Q(name_key__contains=f" {key} ")
        )
    lookup = name_match | Q(organization__acronym__iexact=search.strip())
    return (
        Participant.objects.filter(project=workshop.project)
        .filter(lookup)
        .exclude(registrations__workshop=workshop)
        .select_related("organization")
        .order_by("last_name", "first_name", "id")[:limit]
    )


def participants_of_organization(*, user, organization: Organization) -> QuerySet[Participant]:
    return (
        for_member(Participant.objects.filter(organization=organization), user)
        .annotate(events=Count("registrations"))
        .order_by("last_name", "first_name")
    )


def workshops_of_organization(*, user, organization: Organization) -> QuerySet[Workshop]:
    """Events the organization organized or sent someone to, in the user's projects."""
    return (
        for_member(Workshop.objects.all(), user)
        .filter(Q(organizers=organization) | Q(registrations__participant__organization=organization))
        .select_related("city")
        .distinct()
        .order_by("-start_date")
    )


def _one_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CapacityStatistics:
    """Who took part (people present, counted once) and how their self-assessed capacity changed."""

    participants: int = 0
    by_organization_type: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    by_sex: dict[str, int] = field(default_factory=dict)
    average_change: Decimal | None = None
    assessed: int = 0
    change_by_topic: list[tuple[str, Decimal, int]] = field(default_factory=list)

    def organization_types(self) -> list[tuple[str, int]]:
        labels = dict(Organization.Kind.choices)
        return [(str(labels.get(code, code)), n) for code, n in self.by_organization_type.items()]

    def levels(self) -> list[tuple[str, int]]:
        labels = dict(Organization.Level.choices)
        return [(str(labels.get(code, code)) if code else "—", n) for code, n in self.by_level.items()]

    def sexes(self) -> list[tuple[str, int]]:
        labels = dict(Participant.Sex.choices)
        return [(str(labels.get(code, code)), n) for code, n in self.by_sex.items()]


def capacity_statistics(workshops: QuerySet[Workshop]) -> CapacityStatistics:
    """Participants present at ``workshops`` by organization type, level and sex, and the average
    change in self-assessment (after − before) overall and per topic. Two queries, whatever the size."""
    people = (
        Participant.objects.filter(registrations__workshop__in=workshops, registrations__attendance="present")
        .values("organization__kind", "organization__level", "sex")
        .annotate(n=Count("id", distinct=True))
    )
    stats = CapacityStatistics()
    kinds, levels, sexes = Counter(), Counter(), Counter()
    for row in people:
        kinds[row["organization__kind"]] += row["n"]
        levels[row["organization__level"]] += row["n"]
        sexes[row["sex"]] += row["n"]
    stats.participants = sum(sexes.values())
    stats.by_organization_type = dict(sorted(kinds.items()))
    stats.by_level = dict(levels.most_common())
    stats.by_sex = dict(sorted(sexes.items()))
    topics = (
        AssessmentScore.objects.filter(registration__workshop__in=workshops, before__isnull=False, after__isnull=False)
        .values("topic__name")
        .annotate(change=Avg(F("after") - F("before")), n=Count("id"))
        .order_by("topic__name")
    )
    total_change = 0
    for row in topics:
        stats.change_by_topic.append((row["topic__name"], _one_decimal(row["change"]), row["n"]))
        total_change += row["change"] * row["n"]
        stats.assessed += row["n"]
    if stats.assessed:
        stats.average_change = _one_decimal(total_change / stats.assessed)
    return stats
