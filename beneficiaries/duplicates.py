"""Likely duplicates of a person being registered, in this project and in others."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from rapidfuzz import fuzz

from .models import Beneficiary
from .names import fold, name_key

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
    exclude_pk: int | None = None,
) -> list[Candidate]:
    """People who may be the same as the one described, best match first, across all projects.

    One query: rows sharing the name key, the birth date, the phone or the card number (each
    indexed), then scored here. Callers decide what of another project's match a user may see.
    """
    key = name_key(first_name, last_name)
    lookup = Q(name_key=key)
    if date_of_birth:
        lookup |= Q(date_of_birth=date_of_birth)
    if phone:
        lookup |= Q(phone=phone)
    if residence_card_number:
        lookup |= Q(residence_card_number__iexact=residence_card_number)
    rows = Beneficiary.objects.exclude(status=Beneficiary.Status.ANONYMIZED).filter(lookup).select_related("project")
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)

    probe = {
        "first_name": first_name,
        "last_name": last_name,
        "date_of_birth": date_of_birth,
        "nationality": nationality,
        "phone": phone,
        "residence_card_number": residence_card_number,
    }
    candidates = []
    for row in rows[:200]:
        candidate = score_candidate(row, **probe)
        if candidate.score >= THRESHOLD:
            candidates.append(candidate)
    candidates.sort(key=lambda candidate: (-candidate.score, candidate.beneficiary.pk))
    return candidates[:MAX_CANDIDATES]


def score_candidate(
    row: Beneficiary,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    nationality: str = "",
    phone: str = "",
    residence_card_number: str = "",
) -> Candidate:
    """How much ``row`` looks like the person described (0-100), and why. Shared by the registration
    form and the import, so that both flag the same people."""
    key = name_key(first_name, last_name)
    folded = " ".join(sorted(fold(f"{first_name} {last_name}").split()))
    reasons, score = [], 0
    row_folded = " ".join(sorted(fold(row.full_name).split()))
    similarity = max(fuzz.token_sort_ratio(key, row.name_key), fuzz.token_sort_ratio(folded, row_folded))
    if row.name_key == key or similarity >= 85:
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
