"""Likely duplicates of a person being registered, in this project and in others."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db.models import Q
from django.db.models.functions import Lower

from core.names import names_match
from projects.selectors import member_project_list

from .models import Beneficiary

# A candidate is shown from this score on (0-100). A same-key name with the same birth date, the
# same phone or the same card number is enough; a common name with the same nationality is not.
THRESHOLD = 70
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Candidate:
    beneficiary: Beneficiary
    score: int
    reasons: tuple[str, ...]


def find_duplicates(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    nationality: str = "",
    phone: str = "",
    residence_card_number: str = "",
    other_first_name: str = "",
    other_last_name: str = "",
    exclude_pk: int | None = None,
) -> list[Candidate]:
    """People who may be the same as the one described, best match first, across all projects.
    Callers decide what of another project's match a user may see."""
    probe = {
        "first_name": first_name,
        "last_name": last_name,
        "other_first_name": other_first_name,
        "other_last_name": other_last_name,
        "date_of_birth": date_of_birth,
        "nationality": nationality,
        "phone": phone,
        "residence_card_number": residence_card_number,
    }
    (candidates,) = find_duplicates_of_many([probe], exclude_pk=exclude_pk)
    return candidates


def duplicates_of_registration(data: dict, *, user) -> tuple[list[Candidate], list[Candidate]]:
    """(shown, elsewhere) for a person about to be registered by ``user`` from the registration
    form's cleaned data: the page and the API ask the same."""
    candidates = find_duplicates(
        first_name=data["first_name"],
        last_name=data["last_name"],
        other_first_name=data["other_first_name"],
        other_last_name=data["other_last_name"],
        date_of_birth=data["date_of_birth"],
        nationality=data["nationality"],
        phone=str(data.get("phone") or ""),
        residence_card_number=data.get("residence_card_number", ""),
    )
    visible = set(member_project_list(user=user).values_list("pk", flat=True))
    return split_by_visibility(candidates, visible_project_ids=visible)


# What a candidate shows: the lists of likely duplicates, at registration and import.
CANDIDATE_FIELDS = (
    "project_id",
    "reference",
    "status",
    "first_name",
    "last_name",
    "other_first_name",
    "other_last_name",
    "name_key",
    "other_name_key",
    "date_of_birth",
    "nationality",
    "phone",
    "residence_card_number",
    "city__name",
)


class _Namesake(NamedTuple):
    """What scoring reads of a row, read as a plain tuple: at 100,000 people an import of 10,000 reads
    tens of thousands of people sharing a birth date with a row, and a model instance for each was
    a fifth of its preview. The few that score high enough are then read as people
    (``CANDIDATE_FIELDS``)."""

    pk: int
    first_name: str
    last_name: str
    other_first_name: str
    other_last_name: str
    date_of_birth: date | None
    nationality: str
    phone: object  # a PhoneNumber, or "" when none was given, as on the model
    residence_card_number: str

    # The model's own rules for its names, so that a tuple and a person are scored alike.
    full_name = property(Beneficiary.full_name.fget)
    other_full_name = property(Beneficiary.other_full_name.fget)


def shared_values(*, date_of_birth, phone, card: str) -> list[tuple[str, object]]:
    """What someone must share with another to be their likely duplicate: a birth date, a phone or a
    card number (in any case). A name alone, even with the nationality, never reaches THRESHOLD
    (``score_candidate``): the registry lookup and the import's check of its own rows compare only
    people sharing one of these."""
    values = []
    if date_of_birth:
        values.append(("born", date_of_birth))
    if phone:
        values.append(("phone", str(phone)))
    if card:
        values.append(("card", card.casefold()))
    return values


def find_duplicates_of_many(probes: list[dict], *, exclude_pk: int | None = None) -> list[list[Candidate]]:
    """For each person described (the keyword arguments of ``find_duplicates``), the people who may be
    the same, best match first: the one rule of registration and import alike.

    Two queries per 2,500 people: what scoring reads of the rows sharing a birth date, a phone or a
    card number (``shared_values``; each through an index on PostgreSQL), scored here; then those
    scoring high enough, as people. A name alone is not looked up: a registry of 100,000 holds
    thousands of namesakes of a common name, none of whom could reach THRESHOLD."""
    results = []
    for start in range(0, len(probes), 2500):
        chunk = probes[start : start + 2500]
        births = {probe["date_of_birth"] for probe in chunk if probe["date_of_birth"]}
        phones = {str(probe["phone"]) for probe in chunk if probe["phone"]}
        # Card numbers are stored as typed; the probe may write them in another case. Compared in
        # lower case, through the card's lower-case index on PostgreSQL (migration 0019): Python's
        # and the databases' upper case disagree on more letters (ß, and é on SQLite).
        cards = {probe["residence_card_number"].lower() for probe in chunk if probe["residence_card_number"]}
        rows = (
            Beneficiary.objects.exclude(status=Beneficiary.Status.ANONYMIZED)
            .alias(card=Lower("residence_card_number"))
            .filter(Q(date_of_birth__in=births) | Q(phone__in=phones) | Q(card__in=cards))
            .order_by()
        )
        if exclude_pk:
            rows = rows.exclude(pk=exclude_pk)
        by_value = {}
        for row in map(_Namesake._make, rows.values_list(*_Namesake._fields)):
            for value in shared_values(
                date_of_birth=row.date_of_birth, phone=row.phone, card=row.residence_card_number
            ):
                by_value.setdefault(value, []).append(row)
        chunk_results = []
        for probe in chunk:
            shared = shared_values(
                date_of_birth=probe["date_of_birth"], phone=probe["phone"], card=probe["residence_card_number"]
            )
            nearby = {row.pk: row for value in shared for row in by_value.get(value, [])}
            scored = [score_candidate(row, **probe) for row in nearby.values()]
            candidates = sorted(
                (candidate for candidate in scored if candidate.score >= THRESHOLD),
                key=lambda candidate: (-candidate.score, candidate.beneficiary.pk),
            )
            chunk_results.append(candidates[:MAX_CANDIDATES])
        wanted = {candidate.beneficiary.pk for candidates in chunk_results for candidate in candidates}
        # Read with the first read's rule: someone anonymized in between is no candidate.
        people = (
            Beneficiary.objects.exclude(status=Beneficiary.Status.ANONYMIZED)
            .select_related("city")
            .only(*CANDIDATE_FIELDS)
            .in_bulk(wanted)
            if wanted
            else {}
        )
        results += [
            [Candidate(people[c.beneficiary.pk], c.score, c.reasons) for c in candidates if c.beneficiary.pk in people]
            for candidates in chunk_results
        ]
    return results


def split_by_visibility(candidates: list[Candidate], *, visible_project_ids: set[int]) -> tuple[list, list]:
    """(shown, elsewhere): the candidates of projects the user works on, whom registration and import
    show them, and the others, never shown, hinted at or counted, which go to the review list of the
    two projects' M&E officers (services.record_cross_project_matches)."""
    shown = [c for c in candidates if c.beneficiary.project_id in visible_project_ids]
    elsewhere = [c for c in candidates if c.beneficiary.project_id not in visible_project_ids]
    return shown, elsewhere


def score_candidate(
    row: "Beneficiary | _Namesake",
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    nationality: str = "",
    phone: str = "",
    residence_card_number: str = "",
    other_first_name: str = "",
    other_last_name: str = "",
) -> Candidate:
    """How much ``row`` looks like the person described (0-100), and why. Shared by the registration
    form and the import, so that both flag the same people."""
    reasons, score = [], 0
    names = [f"{first_name} {last_name}", f"{other_first_name} {other_last_name}".strip()]
    row_names = [row.full_name, row.other_full_name]
    if any(names_match(name, row_name) for name in names if name for row_name in row_names if row_name):
        reasons.append("name")
        score += 50
    if date_of_birth and row.date_of_birth == date_of_birth:
        reasons.append("date_of_birth")
        score += 35 if "name" in reasons else 20
    if nationality and row.nationality == nationality:
        reasons.append("nationality")
        score += 10 if "name" in reasons else 5
    if phone and str(row.phone) == str(phone):
        reasons.append("phone")
        score += 70
    if residence_card_number and row.residence_card_number.casefold() == residence_card_number.casefold():
        reasons.append("residence_card_number")
        score += 80
    return Candidate(row, min(score, 100), tuple(reasons))
