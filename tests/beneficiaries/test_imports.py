"""Importing people from spreadsheets: what real offices send is accepted, what is malformed or
hostile is refused (or reported row by row) with nothing written and no server error."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from beneficiaries import imports
from beneficiaries.models import AccessLog, Beneficiary

from ..factories import make_beneficiary
from ..pages import text

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "import_files"
URL = reverse("beneficiaries:beneficiary-import")

# Each malformed file, and what the person who sent it is told (in French, the default language).
MALFORMED = {
    "empty.csv": "Le fichier soumis est vide.",  # Django's own check, before ours
    "header_only.csv": "Le fichier n'a aucune ligne sous son en-tête.",
    "utf16.csv": "Ce fichier n'est pas du texte simple",
    "undecodable.csv": "Les caractères du fichier n'ont pas pu être lus",
    "pipe_delimiter.csv": "Colonnes manquantes : Nom, Prénom, Sexe, Date de naissance",
    "missing_columns.csv": "Colonnes manquantes : Date de naissance, Nationalité, Ville",
    "bad_dates.csv": "Pas une date : écrivez-la comme 31/12/1990 ou 1990-12-31.",
    "duplicate_rows.csv": "La même personne que la ligne 2 (nom, date de naissance, nationalité",
    "formula_payloads.csv": "Saisissez un nom composé de lettres",
    "html_renamed.csv": "Ce fichier est une page web (HTML ou XML), pas un fichier CSV.",
    "xml_renamed.csv": "Ce fichier est une page web (HTML ou XML), pas un fichier CSV.",
    "xlsx_renamed.csv": "Ce fichier n'est pas un fichier CSV, quoi qu'en dise son nom.",
    "csv_renamed.xlsx": "Ce fichier n'est pas un classeur Excel (XLSX), quoi qu'en dise son nom.",
    "pdf_renamed.xlsx": "Ce fichier n'est pas un classeur Excel (XLSX), quoi qu'en dise son nom.",
    "not_a_workbook.xlsx": "Ce fichier n'est pas un classeur Excel (XLSX), quoi qu'en dise son nom.",
    "notes.txt": "Seuls les fichiers CSV et XLSX (Excel) peuvent être importés.",
    "bad_sex.csv": "Écrivez F ou M",
    "unknown_city.csv": "Ville inconnue",
    "unknown_country.csv": "Pays inconnu",
    "no_consent.csv": "consentement au traitement de ses données",
    "too_young.csv": "le projet s'adresse aux personnes de 15 à 80 ans",  # the staff form's own message
    "bad_phone.csv": "Numéro de téléphone non valide.",
    "one_bad_row_among_good.csv": "Écrivez F ou M",
    "zip_bomb.xlsx": "Ce classeur prend une taille dangereuse une fois ouvert",
    "xml_bomb.xlsx": "Ce classeur Excel n'a pas pu être lu sans risque",
}


def upload(client, project, name: str, content: bytes):
    """The upload, followed to its job's page (the job runs at once in the tests)."""
    return client.post(URL, {"project": project.pk, "file": SimpleUploadedFile(name, content)}, follow=True)


def test_the_folder_holds_at_least_twenty_malformed_files():
    assert len(list(FILES.iterdir())) >= 20
    assert {path.name for path in FILES.iterdir()} == set(MALFORMED)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_is_refused_with_a_clear_message_and_nothing_is_written(
    name, client_for, me_officer, project, cities
):
    before = Beneficiary.objects.count()
    response = upload(client_for(me_officer), project, name, (FILES / name).read_bytes())
    assert response.status_code == 200
    page = text(response)
    assert MALFORMED[name] in page, page[page.find("invalid-feedback") - 200 : page.find("invalid-feedback") + 400]
    job = response.context.get("job")
    assert job is None or not job.file  # a file that cannot be imported is not kept
    assert Beneficiary.objects.count() == before


def test_an_oversized_file_is_refused_before_it_is_read(client_for, me_officer, project, cities):
    response = upload(client_for(me_officer), project, "big.csv", b"x" * 5_000_001)
    assert "Le fichier dépasse 5 Mo : découpez-le en fichiers plus petits." in text(response)
    assert not Beneficiary.objects.exists()


def _commit(client, response, **extra):
    return client.post(response.context["job"].get_absolute_url(), extra, follow=True)


def test_a_french_excel_csv_is_previewed_then_imported_whole(client_for, me_officer, project, cities):
    content = (
        "\ufeffNom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Téléphone;Carte de séjour;"
        "Consentement au traitement\n"
        "Traoré;Awa;Femme;31/12/1990;Mali;Casablanca;06 12 34 56 78;K123;oui\n"
        "Kouassi;Yao;H;1988-05-02;CI;Tanger;;;Oui\n"
    ).encode("utf-8")
    client = client_for(me_officer)
    preview = upload(client, project, "liste.csv", content)
    assert "2 personnes à importer" in text(preview)
    assert not Beneficiary.objects.exists()  # nothing before the confirmation
    done = _commit(client, preview)
    assert "2 personnes importées dans FM.0390." in text(done)
    awa = Beneficiary.objects.get(last_name="Traoré")
    assert (awa.sex, awa.date_of_birth, awa.nationality.code, awa.city.name) == (
        "F",
        date(1990, 12, 31),
        "ML",
        "Casablanca",
    )
    assert str(awa.phone) == "+212612345678" and awa.history.get().history_user == me_officer
    assert sorted(Beneficiary.objects.values_list("reference", flat=True)) == ["FM0390-000001", "FM0390-000002"]
    assert AccessLog.objects.filter(action="create", detail="import").count() == 2


def test_a_windows_csv_with_english_headers_and_commas(client_for, me_officer, project, cities):
    content = (
        "First name,Last name,Sex,Date of birth,Nationality,City,Consent to processing,Consent to sharing\n"
        "Adjoua,N'Guessan,F,14/07/1985,Côte d'Ivoire,Rabat,yes,no\n"
    ).encode("cp1252")
    client = client_for(me_officer)
    _commit(client, upload(client, project, "list.csv", content))
    person = Beneficiary.objects.get()
    assert (person.last_name, person.nationality.code, person.consent_sharing) == ("N'Guessan", "CI", False)


def test_an_xlsx_with_date_cells(client_for, me_officer, project, cities):
    workbook = Workbook()
    workbook.active.append(
        ["Nom", "Prénom", "Sexe", "Date de naissance", "Nationalité", "Ville", "Consentement au traitement"]
    )
    workbook.active.append(["Camara", "Sékou", "M", date(1993, 4, 2), "GN", "Rabat", "oui"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(me_officer)
    _commit(client, upload(client, project, "liste.xlsx", buffer.getvalue()))
    assert Beneficiary.objects.get().date_of_birth == date(1993, 4, 2)


def test_importing_the_same_file_again_adds_nothing(client_for, me_officer, project, cities):
    content = (FILES / "one_bad_row_among_good.csv").read_bytes().decode().splitlines()[:2]
    content = ("\n".join(content) + "\n").encode()
    client = client_for(me_officer)
    _commit(client, upload(client, project, "a.csv", content))
    again = upload(client, project, "a.csv", content)
    assert "1 déjà enregistrée, laissée de côté" in text(again)
    assert "il n'y a rien à importer" in text(again)
    assert Beneficiary.objects.count() == 1


def test_likely_duplicates_must_be_confirmed_before_they_are_imported(
    client_for, me_officer, field_staff, project, cities
):
    known = make_beneficiary(project, field_staff, first_name="Aminata", last_name="Diop", phone="+212612345678")
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Téléphone;Consentement au traitement\n"
        "Diop;Aminata;F;15/03/1992;SN;Rabat;0612345678;oui\n"
    ).encode()
    client = client_for(me_officer)
    preview = upload(client, project, "d.csv", content)
    assert known.reference in text(preview)
    unconfirmed = _commit(client, preview)
    assert "Vérifiez les doublons possibles" in text(unconfirmed) and Beneficiary.objects.count() == 1
    _commit(client, unconfirmed, confirm_duplicates="1")
    assert Beneficiary.objects.count() == 2


def test_the_template_comes_in_both_languages_and_imports_as_is(client_for, me_officer, project, cities):
    client = client_for(me_officer)
    french = b"".join(client.get(reverse("beneficiaries:import-template-csv")).streaming_content).decode()
    english = b"".join(client.get("/en" + reverse("beneficiaries:import-template-csv")).streaming_content).decode()
    assert french.startswith("\ufeffNom;Prénom;Nom dans l’autre écriture;Prénom dans l’autre écriture;Sexe")
    assert english.startswith("\ufeffLast name,First name,Last name in the other script,First name in the other")
    assert client.get(reverse("beneficiaries:import-template-xlsx")).status_code == 200
    _commit(client, upload(client, project, "template.csv", french.encode()))
    person = Beneficiary.objects.get()
    assert (person.last_name, person.other_last_name, person.other_first_name) == ("Diop", "ديوب", "أميناتا")


def _letters(number: int) -> str:
    """A different name for each number: 0 -> "Baaa", 1 -> "Baab"..."""
    letters = ""
    for _ in range(3):
        number, rest = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return "B" + letters


def _file_of(size: int) -> bytes:
    """``size`` different people: names one letter apart are alike, so each has a birth date of her own."""
    lines = ["Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Carte de séjour;Consentement au traitement"]
    born = [date(1965, 1, 1) + timedelta(days=n) for n in range(size)]
    lines += [f"{_letters(n)};Prénom;F;{born[n]:%d/%m/%Y};SN;Rabat;C{n:06d};oui" for n in range(size)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("size", [100, 1000])
def test_an_import_runs_the_same_queries_whatever_its_size(project, me_officer, cities, size):
    content = _file_of(size)
    with CaptureQueriesContext(connection) as queries:
        result = imports.preview(project=project, filename="big.csv", content=content)
        imports.commit(project=project, result=result, by=me_officer)
    assert Beneficiary.objects.count() == size
    statements = [q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == IMPORT_QUERIES[connection.vendor], statements


# Cities, cards and names already registered, likely duplicates, the reference sequence (create,
# lock, update), then one insert each for the people, their history and the access log.
IMPORT_QUERIES = {"sqlite": 11, "postgresql": 11}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["liste.csv", "liste.xlsx", "liste.CSV", "liste"]),
    content=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=2000).map(lambda text: text.encode("utf-8")),
        st.lists(st.lists(st.text(max_size=20), max_size=12), max_size=20).map(
            lambda rows: "\n".join(";".join(row) for row in [["Nom", "Prénom", "Sexe", "Ville"], *rows]).encode()
        ),
    ),
)
def test_any_bytes_are_read_or_refused_never_crash(project, cities, name, content):
    try:
        result = imports.preview(project=project, filename=name, content=content)
    except imports.ImportFileError:
        return
    assert not result.can_commit or all(row.data["consent_processing"] for row in result.rows)
    assert not Beneficiary.objects.exists()


def test_a_card_number_in_another_case_is_the_same_person(project, field_staff, cities):
    make_beneficiary(project, field_staff, residence_card_number="ab12cd")
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Carte de séjour;Consentement au traitement\n"
        "Sy;Khadim;M;02/02/1990;SN;Rabat;AB12CD;oui\n"
    ).encode()
    result = imports.preview(project=project, filename="a.csv", content=content)
    assert not result.rows and result.already_registered[0][0] == 2


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        # The same person, once with a card number and once without.
        ("Sow;Awa;F;02/02/1990;SN;Rabat;;AB12CD;oui", "Sow;Awa;F;02/02/1990;SN;Rabat;;;oui", "date de naissance"),
        # The same phone, the first name spelled another way.
        (
            "Diallo;Mohamed;M;05/06/1988;GN;Rabat;0612345678;;oui",
            "Diallo;Mohammed;M;05/06/1988;GN;Rabat;0612345678;;oui",
            "téléphone",
        ),
        # The same card number, written in another case, the name misspelled.
        ("Traoré;Issa;M;01/01/1985;ML;Rabat;;XY99;oui", "Traore;Isa;M;01/01/1985;ML;Rabat;;xy99;oui", "carte"),
    ],
)
def test_a_file_holding_the_same_person_twice_is_refused_with_both_rows_named(project, cities, first, second, why):
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Téléphone;Carte de séjour;Consentement au traitement\n"
        f"{first}\n{second}\n"
    ).encode()
    result = imports.preview(project=project, filename="twice.csv", content=content)
    assert not result.can_commit
    [problem] = result.problems
    assert problem.row == 3 and "ligne 2" in problem.message and why in problem.message


def test_two_different_people_of_the_same_family_in_one_file_are_both_imported(project, cities):
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Téléphone;Consentement au traitement\n"
        "Sow;Awa;F;02/02/1990;SN;Rabat;;oui\n"
        "Sow;Moussa;M;14/09/1986;SN;Rabat;;oui\n"
    ).encode()
    result = imports.preview(project=project, filename="family.csv", content=content)
    assert result.can_commit and len(result.rows) == 2


def test_the_preview_lists_every_row_and_echoes_the_bad_value_and_the_list_then_shows_the_import(
    client_for, me_officer, field_staff, project, cities
):
    make_beneficiary(project, field_staff, first_name="Awa", last_name="Traoré", city=cities["Rabat"])
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Consentement au traitement\n"
        "Kouassi;Yao;H;1988-05-02;CI;Tanger;oui\n"
        "Traoré;Awa;F;1992-03-14;SN;Rabat;oui\n"
    ).encode()
    client = client_for(me_officer)
    preview = upload(client, project, "groupe.csv", content)
    lines = [(line.number, line.name, line.outcome) for line in preview.context["result"].outcomes]
    assert lines == [(2, "Yao Kouassi", "import"), (3, "Awa Traoré", "registered")]
    page = text(preview)
    assert "Importée" in page or "Importé" in page
    assert "Déjà enregistré·e : laissé·e de côté" in page
    done = _commit(client, preview)
    assert "YAO" not in text(done)  # the list shows last names in capitals
    assert "KOUASSI" in text(done) and "TRAORÉ" not in text(done)  # only the people this import brought
    assert "Les personnes enregistrées par cet import." in text(done)
    batch = Beneficiary.objects.get(last_name="Kouassi").import_batch
    assert batch and not Beneficiary.objects.get(last_name="Traoré").import_batch

    bad = upload(client, project, "faute.csv", content.replace(b"1988-05-02", b"31/02/1988").replace(b";H;", b";X;"))
    problems = {(problem.column, problem.value) for problem in bad.context["result"].problems}
    assert ("Sexe", "X") in problems and ("Date de naissance", "31/02/1988") in problems
    assert "31/02/1988" in text(bad)
