"""About 300 plausible regularized migrants for FM.0390, the same every time (fixed seed)."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from projects.models import Location, Project

from .models import Beneficiary
from .services import beneficiary_create

SEED = 390
COUNT = 300

# Nationalities of regularized migrants in Morocco, roughly by weight, with common names.
NATIONALITIES = [
    (
        "SN",
        22,
        ["Mamadou", "Moussa", "Ousmane", "Cheikh", "Ibrahima"],
        ["Fatou", "Aminata", "Awa", "Mariama"],
        ["Diop", "Ndiaye", "Fall", "Sow", "Diallo", "Ba"],
    ),
    (
        "CI",
        18,
        ["Yao", "Koffi", "Kouassi", "Serge", "Jean-Pierre"],
        ["Adjoua", "Aya", "Marie-Claire", "Affoué"],
        ["Kouadio", "Konan", "Koné", "Traoré", "N'Guessan"],
    ),
    (
        "GN",
        14,
        ["Alpha", "Mohamed", "Thierno", "Sékou"],
        ["Fatoumata", "Kadiatou", "Hawa", "Mariama"],
        ["Diallo", "Barry", "Bah", "Camara", "Sylla"],
    ),
    (
        "ML",
        12,
        ["Modibo", "Boubacar", "Seydou", "Adama"],
        ["Fatimata", "Oumou", "Kadidia", "Rokia"],
        ["Keïta", "Coulibaly", "Traoré", "Diarra", "Maïga"],
    ),
    (
        "CM",
        10,
        ["Jean", "Paul", "Emmanuel", "Blaise"],
        ["Brigitte", "Esther", "Sandrine", "Nadège"],
        ["Mbarga", "Nkoulou", "Fotso", "Ngono", "Tchoupo"],
    ),
    (
        "CD",
        8,
        ["Patrick", "Christian", "Junior"],
        ["Grâce", "Chancelvie", "Merveille"],
        ["Mukendi", "Kabongo", "Ilunga", "Tshibanda"],
    ),
    ("NG", 6, ["Chinedu", "Emeka", "Tunde"], ["Blessing", "Ngozi", "Funmilayo"], ["Okafor", "Adeyemi", "Eze"]),
    ("SY", 6, ["Mohammed", "Ahmad", "Omar"], ["Fatima", "Rania", "Lina"], ["Al-Hassan", "Haddad", "Khalil"]),
    ("YE", 2, ["Abdullah", "Ali"], ["Amal", "Huda"], ["Al-Ahmar", "Saleh"]),
    ("PH", 2, ["Jose", "Mark"], ["Maria", "Rosalie"], ["Santos", "Reyes"]),
]
# Syrian and Yemeni papers give the name in Arabic too: recorded in the other script.
ARABIC_SPELLINGS = {
    **{"Mohammed": "محمد", "Ahmad": "أحمد", "Omar": "عمر", "Fatima": "فاطمة", "Rania": "رانيا", "Lina": "لينا"},
    **{"Al-Hassan": "الحسن", "Haddad": "حداد", "Khalil": "خليل", "Abdullah": "عبد الله", "Ali": "علي"},
    **{"Amal": "أمل", "Huda": "هدى", "Al-Ahmar": "الأحمر", "Saleh": "صالح"},
}
CITIES = [("Rabat", 25), ("Casablanca", 30), ("Tanger", 15), ("Fès", 8), ("Oujda", 12), ("Marrakech", 5), ("Agadir", 5)]
OCCUPATIONS = [
    "Couturière",
    "Maçon",
    "Commerçant",
    "Coiffeuse",
    "Cuisinier",
    "Mécanicien",
    "Agriculteur",
    "Étudiant",
    "",
]
LANGUAGES = {
    "SN": ["fr", "wo"],
    "CI": ["fr"],
    "GN": ["fr", "ff"],
    "ML": ["fr", "bm"],
    "CM": ["fr", "en"],
    "CD": ["fr", "ln"],
    "NG": ["en"],
    "SY": ["ar"],
    "YE": ["ar"],
    "PH": ["en"],
}


def seed(*, log, with_users: bool) -> None:
    staff = (
        get_user_model().objects.filter(username="staff").first()
        or get_user_model().objects.filter(is_superuser=True).first()
    )
    if staff is None:
        log("No demo user to register beneficiaries with: skipped (run seed_demo with DEBUG on).")
        return
    _seed_fm0390(staff, log)
    _seed_tunisia(staff, log)


def _seed_fm0390(staff, log) -> None:
    project = Project.objects.get(code="FM.0390")
    if Beneficiary.objects.filter(project=project).exists():
        log(f"Beneficiaries of {project.code} already loaded.")
        return
    rng = random.Random(SEED)
    cities = {location.name: location for location in Location.objects.filter(kind=Location.Kind.CITY)}
    today = date(2024, 6, 30)
    for number in range(COUNT):
        country, _, men, women, surnames = rng.choices(NATIONALITIES, weights=[n[1] for n in NATIONALITIES])[0]
        sex = rng.choice([Beneficiary.Sex.FEMALE, Beneficiary.Sex.MALE])
        city = rng.choices([c for c, _ in CITIES], weights=[w for _, w in CITIES])[0]
        birth = today - timedelta(days=rng.randint(18 * 365, 55 * 365))
        consented_on = date(2022, 1, 10) + timedelta(days=rng.randint(0, 700))
        sharing = rng.random() < 0.7
        photos = rng.random() < 0.4
        first_name = rng.choice(women if sex == Beneficiary.Sex.FEMALE else men)
        last_name = rng.choice(surnames)
        beneficiary_create(
            project=project,
            by=staff,
            data={
                "first_name": first_name,
                "last_name": last_name,
                "other_first_name": ARABIC_SPELLINGS.get(first_name, ""),
                "other_last_name": ARABIC_SPELLINGS.get(last_name, ""),
                "sex": sex,
                "date_of_birth": birth,
                "nationality": country,
                "city": cities[city],
                "phone": f"+2126{rng.choice('1267')}{rng.randint(1000000, 9999999)}" if rng.random() < 0.85 else "",
                "languages": LANGUAGES[country] + (["ary"] if rng.random() < 0.3 else []),
                "education_level": rng.choice(list(Beneficiary.Education.values)),
                "prior_occupation": rng.choice(OCCUPATIONS),
                "regularization_year": rng.choice([2014, 2014, 2017]),
                "residence_card_number": f"RC{SEED}{number:05d}",
                "residence_card_expiry": date(2025, 1, 1) + timedelta(days=rng.randint(0, 900)),
                "has_disability": rng.random() < 0.05,
                "consent_processing": True,
                "consent_processing_date": consented_on,
                "consent_processing_method": "written",
                "consent_sharing": sharing,
                "consent_sharing_date": consented_on if sharing else None,
                "consent_sharing_method": "written" if sharing else "",
                "consent_photos": photos,
                "consent_photos_date": consented_on if photos else None,
                "consent_photos_method": "written" if photos else "",
            },
        )
    log(f"{COUNT} beneficiaries registered in {project.code}.")


TUNISIA_COUNT = 24


def _seed_tunisia(staff, log) -> None:
    """People of the fictitious Tunisian project (projects.demo): its cities, +216 numbers."""
    project = Project.objects.filter(code="DEMO.TN").first()
    if project is None or project.beneficiaries.exists():
        return
    rng = random.Random(SEED + 1)
    cities = list(Location.objects.filter(kind=Location.Kind.CITY, country="TN").order_by("name"))
    for _person in range(TUNISIA_COUNT):
        country, _, men, women, surnames = rng.choices(NATIONALITIES[:5], weights=[n[1] for n in NATIONALITIES[:5]])[0]
        sex = rng.choice([Beneficiary.Sex.FEMALE, Beneficiary.Sex.MALE])
        consented_on = date(2026, 3, 2) + timedelta(days=rng.randint(0, 200))
        beneficiary_create(
            project=project,
            by=staff,
            data={
                "first_name": rng.choice(women if sex == Beneficiary.Sex.FEMALE else men),
                "last_name": rng.choice(surnames),
                "sex": sex,
                "date_of_birth": date(2026, 6, 30) - timedelta(days=rng.randint(18 * 365, 50 * 365)),
                "nationality": country,
                "city": rng.choice(cities),
                # Tunisian mobiles: eight digits after +216, from 2, 5 or 9.
                "phone": f"+216{rng.choice('259')}{rng.randint(1000000, 9999999)}",
                "languages": LANGUAGES[country],
                "education_level": rng.choice(list(Beneficiary.Education.values)),
                "consent_processing": True,
                "consent_processing_date": consented_on,
                "consent_processing_method": "written",
            },
        )
    log(f"{TUNISIA_COUNT} beneficiaries registered in {project.code}.")
