"""Sections of a person's page that apps above beneficiaries provide.

The person's page belongs to beneficiaries, but what happens to a person elsewhere (trainings,
follow-ups, business support) is known only above it. An upper app registers a panel here from its
``AppConfig.ready``; the page renders every registered panel, in order, without naming their apps.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

from .models import Beneficiary


@dataclass(frozen=True)
class PersonPanel:
    template_name: str
    # The panel's own context for one person, read through the upper app's selectors.
    context: Callable[[Beneficiary], dict]
    order: int = 0


_panels: dict[str, PersonPanel] = {}


def register_person_panel(key: str, panel: PersonPanel) -> None:
    """Register (or replace, so that ``ready`` may run twice) the panel named ``key``."""
    _panels[key] = panel


def person_panels(*, request, beneficiary: Beneficiary) -> list[str]:
    """Every registered panel drawn for one person, as HTML, in order."""
    return [
        render_to_string(panel.template_name, {**panel.context(beneficiary), "beneficiary": beneficiary}, request)
        for panel in sorted(_panels.values(), key=lambda panel: panel.order)
    ]
