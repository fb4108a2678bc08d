"""FM.0390's public facts, from IOM's public project sheet: the project, its places, partners,
components, sectors, funding and results framework (indicators with baselines and targets).
Nothing fictitious: ``load_project FM.0390`` sets up the real project with this in production, and
the demo (``seed_demo``) starts from it."""

from decimal import Decimal

from .models import Component, Funding, Indicator, Location, Organization, Partnership, Project, Sector

CODE = "FM.0390"
Metric = Indicator.Metric

REGIONS_AND_CITIES = {
    "Rabat-Salé-Kénitra": ["Rabat", "Salé", "Kénitra"],
    "Casablanca-Settat": ["Casablanca"],
    "Tanger-Tétouan-Al Hoceïma": ["Tanger", "Tétouan"],
    "Fès-Meknès": ["Fès", "Meknès"],
    "L'Oriental": ["Oujda", "Nador"],
    "Marrakech-Safi": ["Marrakech"],
    "Souss-Massa": ["Agadir"],
}

# Where each city is drawn on the project's map: latitude, longitude (WGS 84, the city centre).
CITY_COORDINATES = {
    "Rabat": ("34.02088", "-6.84165"),
    "Salé": ("34.03313", "-6.79846"),
    "Kénitra": ("34.26101", "-6.58020"),
    "Casablanca": ("33.57311", "-7.58984"),
    "Tanger": ("35.75950", "-5.83395"),
    "Tétouan": ("35.57845", "-5.36837"),
    "Fès": ("34.03313", "-5.00028"),
    "Meknès": ("33.89352", "-5.54727"),
    "Oujda": ("34.68139", "-1.90858"),
    "Nador": ("35.16813", "-2.93352"),
    "Marrakech": ("31.62947", "-7.98108"),
    "Agadir": ("30.42776", "-9.59811"),
}

# name, acronym, IATI organisation type, level, city, IATI ref
ORGANIZATIONS = [
    ("Organisation internationale pour les migrations", "OIM", "40", "", "Rabat", "XM-DAC-47066"),
    ("Fonds de l'OIM pour le développement", "IDF", "40", "", "", ""),
    (
        "Ministère délégué chargé des Marocains résidant à l'étranger et des affaires de la migration",
        "MCMREAM",
        "10",
        "central",
        "Rabat",
        "",
    ),
    ("Agence nationale de promotion de l'emploi et des compétences", "ANAPEC", "15", "central", "Rabat", ""),
    (
        "Office de la formation professionnelle et de la promotion du travail",
        "OFPPT",
        "15",
        "central",
        "Casablanca",
        "",
    ),
    ("Entraide nationale", "EN", "15", "central", "Rabat", ""),
    ("Wilaya de la région de l'Oriental", "", "10", "local", "Oujda", ""),
    ("Commune de Tanger", "", "10", "local", "Tanger", ""),
    ("Fondation Orient-Occident", "FOO", "22", "local", "Rabat", ""),
    ("Caritas Maroc", "", "21", "local", "Casablanca", ""),
    ("Association Marocaine d'Appui à la Promotion de la Petite Entreprise", "AMAPPE", "22", "local", "Casablanca", ""),
]

# Who answers for the project and who carries it out with IOM (IATI organisation roles). IOM's two
# roles are the project's; the national partners named as implementing are demo assumptions.
PARTNERS = [
    ("OIM", "2"),
    ("OIM", "4"),
    ("MCMREAM", "4"),
    ("ANAPEC", "4"),
    ("OFPPT", "4"),
    ("EN", "4"),
    ("AMAPPE", "4"),
]

DESCRIPTION_FR = (
    "Depuis la campagne exceptionnelle de régularisation de 2014, des milliers de migrants régularisés "
    "vivent au Maroc, surtout dans les grandes villes, avec le droit d'accéder aux services de base et "
    "au marché du travail dans les mêmes conditions que les nationaux. Ce droit ne suffit pas toujours "
    "pour trouver un emploi ou lancer une activité.\n\n"
    "Le projet aide ces femmes et ces hommes à gagner leur vie : il les forme à des métiers recherchés "
    "sur le marché local, les accompagne dans la création d'une micro-entreprise ou d'une activité "
    "indépendante, et renforce les institutions publiques et associatives qui conçoivent et mettent en "
    "œuvre les programmes d'intégration sociale et économique des migrants."
)
DESCRIPTION_EN = (
    "Since Morocco's exceptional regularization campaign of 2014, thousands of regularized migrants "
    "live in the country, mostly in its large cities, with the right to basic services and to the "
    "labour market on the same terms as nationals. That right alone does not always lead to a job "
    "or a business.\n\n"
    "The project helps these women and men earn a living: it trains them in trades the local market "
    "needs, supports them in starting a micro-enterprise or becoming self-employed, and strengthens the "
    "public institutions and NGOs that design and run programmes for the social and economic "
    "integration of migrants."
)

COMPONENTS = [
    (
        "Formation professionnelle",
        "Vocational training",
        "Des formations qualifiantes dans des métiers porteurs (bâtiment, hôtellerie-restauration, "
        "couture, coiffure, mécanique), choisies avec les opérateurs de formation selon la demande locale.",
        "Qualifying courses in trades with local demand (construction, hospitality and catering, "
        "tailoring, hairdressing, mechanics), chosen with training providers.",
    ),
    (
        "Micro-entreprise et auto-emploi",
        "Micro-enterprise and self-employment",
        "Une formation à la création et à la gestion d'une petite entreprise, l'élaboration d'un plan "
        "d'affaires, un kit de démarrage et un accompagnement après le lancement.",
        "Training in starting and running a small business, a business plan, a start-up kit and coaching after launch.",
    ),
    (
        "Renforcement des capacités des acteurs",
        "Capacity building of public and civil-society actors",
        "Des formations, ateliers et concertations avec les acteurs gouvernementaux centraux et locaux "
        "et les associations, pour concevoir et conduire des programmes d'intégration socio-économique "
        "des migrantes et migrants régularisés.",
        "Trainings, workshops and consultations with central and local government actors and NGOs, so "
        "that they can design and run programmes for the social and economic integration of "
        "regularized migrant women and men.",
    ),
]

SECTORS = [("11330", Decimal("40")), ("16020", Decimal("35")), ("15190", Decimal("25"))]

# code, level, French name, English name, measure, target, metric
FRAMEWORK = [
    (
        "1",
        "outcome",
        "Part des migrants formés en emploi ou à leur compte six mois après la formation",
        "Share of trained migrants employed or self-employed six months after training",
        "percentage",
        "60",
        Metric.WORKING_AFTER_SIX_MONTHS,
    ),
    (
        "1.1",
        "output",
        "Migrants ayant achevé une formation professionnelle",
        "Migrants who completed a vocational training",
        "unit",
        "100",
        Metric.COMPLETED_VOCATIONAL,
    ),
    (
        "1.2",
        "output",
        "Migrants ayant achevé une formation en micro-entreprise",
        "Migrants who completed a micro-enterprise training",
        "unit",
        "40",
        Metric.COMPLETED_MICRO_ENTERPRISE,
    ),
    ("1.3", "output", "Micro-entreprises créées", "Micro-enterprises created", "unit", "25", Metric.BUSINESSES_CREATED),
    (
        "2",
        "outcome",
        "Collectivités locales ayant adopté un protocole d'orientation des migrants",
        "Local authorities that adopted a referral protocol for migrants",
        "unit",
        "4",
        "",
    ),
    (
        "2.1",
        "output",
        "Acteurs publics et associatifs formés",
        "Government and NGO actors trained",
        "unit",
        "80",
        Metric.STAKEHOLDERS_TRAINED,
    ),
    (
        "2.2",
        "output",
        "Ateliers et concertations tenus",
        "Workshops and consultations held",
        "unit",
        "8",
        Metric.EVENTS_HELD,
    ),
]


def load(*, log) -> Project:
    """Create what is missing of FM.0390's public facts; change nothing that exists (idempotent)."""
    cities = _seed_locations()
    organizations = _seed_organizations(cities)
    project = _seed_project(cities, organizations)
    _seed_framework(project)
    log(f"Project {project.code} ready: {project.title_fr}")
    return project


def _seed_locations() -> dict[str, Location]:
    cities = {}
    for region_name, city_names in REGIONS_AND_CITIES.items():
        region, _ = Location.objects.get_or_create(name=region_name, kind=Location.Kind.REGION)
        for city_name in city_names:
            city, _ = Location.objects.get_or_create(
                name=city_name, kind=Location.Kind.CITY, defaults={"region": region}
            )
            if city.latitude is None:  # a database seeded before cities had coordinates
                city.latitude, city.longitude = (Decimal(value) for value in CITY_COORDINATES[city_name])
                city.save(update_fields=["latitude", "longitude"])
            cities[city_name] = city
    return cities


def _seed_organizations(cities: dict[str, Location]) -> dict[str, Organization]:
    organizations = {}
    for name, acronym, kind, level, city, iati_ref in ORGANIZATIONS:
        organization, _ = Organization.objects.get_or_create(
            name=name,
            defaults={"acronym": acronym, "kind": kind, "level": level, "city": cities.get(city), "iati_ref": iati_ref},
        )
        organizations[acronym or name] = organization
    return organizations


def _seed_project(cities, organizations) -> Project:
    project, _ = Project.objects.get_or_create(
        code="FM.0390",
        defaults={
            "prima_id": "MA10P0001",
            "title_fr": "Formation professionnelle et moyens de subsistance pour des migrants régularisés au Maroc",
            "title_en": "Vocational training and livelihoods for regularized migrants in Morocco",
            "description_fr": DESCRIPTION_FR,
            "description_en": DESCRIPTION_EN,
            "project_type": Project.ProjectType.ASSISTED_MIGRATION,
            "status": Project.Status.COMPLETED,
            "planned_end_date": "2024-12-31",
            "date_precision": Project.DatePrecision.YEAR,
            "budget": Decimal("200000.00"),
            "currency": "USD",
            "coverage": Project.Coverage.NATIONAL,
            "idf_region": Project.IdfRegion.AFRICA,
            "beneficiary_countries": ["MA"],
            "sdg_targets": "8, 10, 8.5, 10.7, 4.4",
            "is_public": True,
        },
    )
    project.locations.add(*[cities[name] for name in ("Rabat", "Casablanca", "Tanger", "Fès", "Oujda")])
    for number, (title_fr, title_en, description_fr, description_en) in enumerate(COMPONENTS, start=1):
        Component.objects.get_or_create(
            project=project,
            number=number,
            defaults={
                "title_fr": title_fr,
                "title_en": title_en,
                "description_fr": description_fr,
                "description_en": description_en,
            },
        )
    for code, percentage in SECTORS:
        Sector.objects.get_or_create(project=project, code=code, defaults={"percentage": percentage})
    Funding.objects.get_or_create(
        project=project, organization=organizations["IDF"], defaults={"amount": Decimal("200000.00")}
    )
    for acronym, role in PARTNERS:
        Partnership.objects.get_or_create(project=project, organization=organizations[acronym], role=role)
    return project


def _seed_framework(project: Project) -> None:
    if project.indicators.exists():
        return
    for code, level, name_fr, name_en, measure, target, metric in FRAMEWORK:
        Indicator.objects.create(
            project=project,
            code=code,
            level=level,
            name_fr=name_fr,
            name_en=name_en,
            measure=measure,
            baseline=Decimal(0),
            baseline_year=2022,
            target=Decimal(target),
            metric=metric,
        )
