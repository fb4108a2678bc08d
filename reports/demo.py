"""Demo values of FM.0390's hand-entered indicator (fictitious), submitted by the demo M&E officer
and approved by the demo administrator, and a first published release of the demo figures; the
framework itself is one of the project's public facts (projects.fm0390)."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from projects.models import IndicatorValue, Project
from projects.services import approve_indicator_value, submit_indicator_value

from .models import Update
from .services import publish_release, update_approve, update_save


def seed(*, log, with_users: bool) -> None:
    project = Project.objects.filter(code="FM.0390").first()
    if project is None:
        return
    protocol = project.indicators.filter(code="2").first()
    if protocol is not None and not protocol.values.exists():
        for start, end, value, note in (
            (date(2022, 1, 1), date(2023, 12, 31), 2, "Oujda, Tanger"),
            (date(2024, 1, 1), date(2024, 12, 31), 5, "Oujda, Tanger, Casablanca, Fès, Rabat"),
        ):
            IndicatorValue.objects.create(
                indicator=protocol, period_start=start, period_end=end, value=Decimal(value), note=note
            )
        log(f"Demo values entered by hand for {project.code}'s indicator {protocol.code}.")
    users = get_user_model().objects
    officer, administrator = users.filter(username="me").first(), users.filter(username="admin").first()
    if officer is None or administrator is None:
        return
    for value in IndicatorValue.objects.filter(indicator__project=project, status=IndicatorValue.Status.DRAFT):
        approve_indicator_value(value=submit_indicator_value(value=value, by=officer), by=administrator)
    if not project.releases.exists():
        release = publish_release(project=project, by=officer)
        log(f"Release {release.number} of {project.code}'s figures published.")
    staff = users.filter(username="staff").first()
    if staff is not None and not project.updates.exists():
        for day, title, text in DEMO_UPDATES:
            update = update_save(update=Update(project=project, title=title, text=text, happened_on=day), by=staff)
            update_approve(update=update, by=officer, version=update.version)
        log(f"{len(DEMO_UPDATES)} demo updates of {project.code} written and approved.")


# Fictitious news of the demo project, written by the demo field staff and approved by the demo
# M&E officer. No photos: the demo has no real pictures, and none of people.
DEMO_UPDATES = [
    (
        date(2024, 6, 14),
        "Remise des certificats de la promotion de couture à Casablanca",
        "Dix-huit participantes et participants ont reçu leur certificat de couture après 240 heures de "
        "formation avec l'OFPPT. Six d'entre eux ont déjà trouvé un emploi dans des ateliers du quartier.",
    ),
    (
        date(2024, 9, 26),
        "Atelier régional sur l'orientation des migrants à Oujda",
        "Des représentants de la wilaya, de l'ANAPEC et de trois associations ont adopté un protocole "
        "commun pour orienter les migrants régularisés vers la formation et l'emploi.",
    ),
    (
        date(2024, 11, 8),
        "Premiers kits de démarrage pour les micro-entreprises à Tanger",
        "Douze porteurs de projet formés à la gestion d'une petite entreprise ont reçu leur kit de "
        "démarrage ; l'équipe les suivra six mois après leur lancement.",
    ),
]
