"""Sections of a person's page that apps above beneficiaries provide.

The person's page belongs to beneficiaries, but what happens to a person elsewhere (trainings,
follow-ups, business support) is known only above it. An upper app registers a panel here from its
``AppConfig.ready``; the page renders every registered panel, in order, without naming their apps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .models import Beneficiary


@dataclass(frozen=True)
class PersonPanel:
    template_name: str
    # The panel's own context for one person, read through the upper app's selectors. The person
    # is as their page reads them (``selectors.beneficiary_page_get``): their project's code and
    # country come as values (``project_code``, ``project_country``), never as a project to read,
    # and so do the panel's ``values``.
    context: Callable[[Beneficiary], dict]
    order: int = 0
    # What the panel needs to know of the person before reading anything of its own, read with the
    # person: e.g. whether they have a business support, so that a page asks for it only when there
    # is one. Expressions by name, each a subquery or the person's own columns (``Exists``,
    # ``Subquery`` with ``OuterRef`` to the person's columns): the page's query is the person's row
    # alone, and a value that would join a table or aggregate is refused when the page first reads
    # (``selectors.beneficiary_page_get``). A function: the upper app's models are ready only when
    # called.
    values: Callable[[], dict] | None = None


_panels: dict[str, PersonPanel] = {}


def register_person_panel(key: str, panel: PersonPanel) -> None:
    """Register (or replace, so that ``ready`` may run twice) the panel named ``key``."""
    _panels[key] = panel


def registered_panels() -> tuple[PersonPanel, ...]:
    """Every registered panel, in order: what the person's page draws, and reads with the person
    (``selectors.beneficiary_page_get`` builds its query once for these)."""
    return tuple(sorted(_panels.values(), key=lambda panel: panel.order))


def person_page_values(panels: tuple[PersonPanel, ...]) -> dict:
    """The panels' values, by name, as expressions to annotate a person with."""
    values = {}
    for panel in panels:
        values.update(panel.values() if panel.values else {})
    return values


class DrawnPanel(NamedTuple):
    """A panel ready to draw on one person's page: its template and its context."""

    template_name: str
    context: dict


def person_panels(*, beneficiary: Beneficiary) -> list[DrawnPanel]:
    """Every registered panel for one person, in order, with its context: the page draws each
    inside its own context (``{% include_with %}``), and ``beneficiary`` is always the page's person
    whatever a panel's context holds."""
    return [
        DrawnPanel(panel.template_name, {**panel.context(beneficiary), "beneficiary": beneficiary})
        for panel in registered_panels()
    ]
