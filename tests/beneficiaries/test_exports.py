"""Exports of the registry: who may, what is in them, how they are logged and made inert."""

import csv
import io
import logging
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.models import AccessLog, Beneficiary
from core.spreadsheets import neutralize
from projects.models import Location

from ..factories import LocationFactory, make_beneficiary

pytestmark = pytest.mark.django_db

CSV = reverse("beneficiaries:beneficiary-export-csv")
XLSX = reverse("beneficiaries:beneficiary-export-xlsx")


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+2126", "'+2126"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Aminata", "Aminata"),
        (None, ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralized(value, expected):
    assert neutralize(value) == expected


def test_the_csv_export_is_the_filtered_list_streamed_logged_and_inert(
    client_for, me_officer, field_staff, project, caplog
):
    make_beneficiary(project, field_staff, first_name="=CMD()", last_name="Diop", residence_card_number="A1")
    make_beneficiary(
        project, field_staff, first_name="Awa", city=LocationFactory(name="Tanger"), residence_card_number="A2"
    )
    caplog.set_level(logging.INFO, logger="masar.security")
    response = client_for(me_officer).get(CSV, {"city": LocationFactory(name="Rabat").pk})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="masar-beneficiaires-')
    assert "no-store" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    header, *rows = _csv(response)
    assert header[:4] == ["Référence", "Projet", "Nom", "Prénom"]
    assert [row[3] for row in rows] == ["'=CMD()"]  # Rabat only, the name made inert
    log = AccessLog.objects.get(action="export")
    assert log.user == me_officer and "rows=1" in log.detail and "city" in log.detail
    events = [r.msg for r in caplog.records if r.name == "masar.security" and r.msg["event"] == "export"]
    assert len(events) == 1 and events[0]["rows"] == 1 and events[0]["user_id"] == me_officer.pk


def test_an_export_log_names_the_filters_but_keeps_none_of_their_values(client_for, me_officer, field_staff, project):
    make_beneficiary(project, field_staff, first_name="Aminata", phone="+212612345678")
    rabat = LocationFactory(name="Rabat")
    response = client_for(me_officer).get(
        CSV, {"q": "Aminata Diop", "city": rabat.pk, "phone_0612345678": "x", "Aminata": "Diop"}
    )
    assert response.status_code == 200
    log = AccessLog.objects.get(action="export")
    assert log.detail == "csv internal rows=1 city,q"


def test_a_partner_export_holds_only_people_who_consented_to_sharing(client_for, me_officer, field_staff, project):
    make_beneficiary(project, field_staff, first_name="Partage", consent_sharing=True, residence_card_number="B1")
    make_beneficiary(project, field_staff, first_name="Prive", consent_sharing=False, residence_card_number="B2")
    _header, *rows = _csv(client_for(me_officer).get(CSV, {"audience": "partner"}))
    assert [row[3] for row in rows] == ["Partage"]


def test_the_xlsx_export_opens_with_the_same_rows(client_for, me_officer, field_staff, project):
    make_beneficiary(project, field_staff, first_name="@Awa", residence_card_number="C1")
    response = client_for(me_officer).get(XLSX)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Référence" and values[1][3] == "'@Awa"


def test_field_staff_and_donors_cannot_export(client_for, field_staff, donor, project):
    make_beneficiary(project, field_staff)
    for user in (field_staff, donor):
        assert client_for(user).get(CSV).status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()


def test_an_export_with_bad_filters_is_not_made(client_for, me_officer, field_staff, project):
    make_beneficiary(project, field_staff)
    response = client_for(me_officer).get(CSV, {"status": "everything"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("beneficiaries:beneficiary-list"))
    assert not AccessLog.objects.filter(action="export").exists()


@pytest.mark.parametrize("size", [5, 50])
def test_an_export_runs_the_same_queries_whatever_its_size(client_for, me_officer, field_staff, project, size):
    for n in range(size):
        make_beneficiary(project, field_staff, first_name=f"P{n}", phone="", residence_card_number=f"Q{n}")
    client = client_for(me_officer)
    with CaptureQueriesContext(connection) as queries:
        rows = _csv(client.get(CSV))
    assert len(rows) == size + 1
    assert len(queries) == EXPORT_QUERIES


# Session and user, permissions (one query), the log (count per project, insert, savepoints), the rows; the session
# is not written (it is renewed at most once a minute).
EXPORT_QUERIES = 6


def test_an_exported_row_reads_as_the_person_page_does(client_for, me_officer, field_staff, project):
    person = make_beneficiary(
        project,
        field_staff,
        first_name="Awa",
        last_name="Sow",
        other_first_name="عوا",
        other_last_name="سو",
        sex="F",
        date_of_birth=date(1990, 5, 17),
        nationality="SN",
        phone="+212612345678",
        consent_sharing=True,
        education_level="",
    )
    header, row = _csv(client_for(me_officer).get(CSV))
    assert header[4:6] == ["Nom dans l’autre écriture", "Prénom dans l’autre écriture"]
    assert row[:8] == [person.reference, project.code, "Sow", "Awa", "سو", "عوا", "Femme", "1990-05-17"]
    assert row[9] == "Sénégal" and row[11] == "'+212612345678"  # the number made inert
    assert row[14] == "Actif" and row[15] == "oui"
    assert row[16] == person.created_at.date().isoformat()
    assert row[12] == ""  # no education given: blank, not a code


def test_a_person_who_did_not_consent_to_sharing_reads_no(client_for, me_officer, field_staff, project):
    make_beneficiary(project, field_staff, consent_sharing=False)
    _header, row = _csv(client_for(me_officer).get(CSV))
    assert row[15] == "non"


FORMULA_STARTS = ["=1+1", "+33", "-2", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_typed_column_is_made_inert_however_the_text_reached_the_database(
    client_for, me_officer, field_staff, project, start
):
    """Whatever reached the database (an import, the admin, a bug), each column people or
    administrators type is made inert in the file; text that only looks like a pattern is not."""
    person = make_beneficiary(project, field_staff, first_name="Awa", last_name="Sow")
    Beneficiary.objects.filter(pk=person.pk).update(
        last_name=start, first_name=start, other_last_name=start, other_first_name=start, phone=start
    )
    Location.objects.filter(pk=person.city_id).update(name=start)
    plain = make_beneficiary(project, field_staff, first_name="_Awa", last_name="%Sow", other_first_name="")
    rows = {row[0]: row for row in _csv(client_for(me_officer).get(CSV))[1:]}
    inert = rows[person.reference]
    assert [inert[i] for i in (2, 3, 4, 5, 10, 11)] == [f"'{start}"] * 6
    assert rows[plain.reference][2:6] == ["%Sow", "_Awa", "", ""]
    assert rows[plain.reference][11] == "'+212612345678"
