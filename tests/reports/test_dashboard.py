"""Donor-facing results: the dashboard, its downloads, the print report and the IATI file show the
current published release only, protected, in French and English; staff see live figures."""

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from lxml import etree

from core.roles import Role
from projects.models import Indicator, Project
from reports.labels import TABLE_TITLES
from reports.services import publish_release
from workshops.models import Participant

from ..datasets import build_dataset
from ..factories import UserFactory, make_beneficiary, make_participant
from ..pages import text

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parent / "iati-2.03" / "iati-activities-schema.xsd"  # the official schema
HEADLINE_REGISTERED = r">(\d+)</p>\s*<p[^>]*>Migrants enregistrés<"
HEADLINE_ANY = r'data-count="([^"]+)">[^<]*</p>\s*<p[^>]*>Migrants enregistrés<'
IATI = "{http://www.w3.org/XML/1998/namespace}lang"


def _framework(project):
    for code, metric in (("1.1", "completed_vocational"), ("1.2", "registered"), ("2.1", "stakeholders_trained")):
        Indicator.objects.create(
            project=project, code=code, level="output", name_fr=f"Indicateur {code}", target=50, metric=metric
        )


def publish(project):
    """A release of the project's figures as they stand, published by an M&E officer of it."""
    officer = project.memberships.filter(user__groups__name=Role.ME_OFFICER).first()
    by = officer.user if officer else UserFactory(role=Role.ME_OFFICER, projects=[project])
    return publish_release(project=project, by=by)


def _donor_responses(client, project) -> dict[str, str]:
    """Every page and download a donor can read about the project, as text."""
    code = project.code
    pages = {
        "dashboard": reverse("reports:dashboard", args=[code]),
        "dashboard (en)": "/en" + reverse("reports:dashboard", args=[code]),
        "report": reverse("reports:print-report", args=[code]),
        "report (en)": "/en" + reverse("reports:print-report", args=[code]),
        "dashboard (ar)": "/ar" + reverse("reports:dashboard", args=[code]),
        "report (ar)": "/ar" + reverse("reports:print-report", args=[code]),
        "csv": reverse("reports:aggregates", args=[code, "csv"]),
        "iati": reverse("reports:iati", args=[code]),
        "sheet": reverse("reports:project-detail", args=[code]),
        "published figures": reverse("reports:release-figures", args=[code, "csv"]),
    }
    responses = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        responses[name] = body.decode("utf-8-sig")
    workbook = client.get(reverse("reports:aggregates", args=[code, "xlsx"]))
    with zipfile.ZipFile(io.BytesIO(b"".join(workbook.streaming_content))) as archive:
        responses["xlsx"] = " ".join(archive.read(name).decode() for name in archive.namelist())
    return responses


def test_no_donor_response_holds_a_name_a_phone_or_a_reference(client_for, project, donor, field_staff):
    build_dataset(project, field_staff, 60, attendance=False)
    _framework(project)
    planted = make_beneficiary(project, field_staff, first_name="Zoubidaa", last_name="Qwertyan", phone="+212698765432")
    participant = make_participant(project, first_name="Xanthippe", last_name="Vorblatt", phone="0611223344")
    publish(project)
    secrets = [
        "Zoubidaa",
        "Qwertyan",
        "698765432",
        planted.reference,
        "Xanthippe",
        "Vorblatt",
        "611223344",
        *Participant.objects.filter(project=project).values_list("last_name", flat=True)[:5],
    ]
    responses = _donor_responses(client_for(donor), project)
    for name, body in responses.items():
        for secret in secrets:
            assert secret not in body, f"{secret} in the {name}"
    assert participant.pk  # planted indeed


def test_no_displayed_count_is_between_1_and_4(client_for, project, donor, field_staff):
    build_dataset(project, field_staff, 45, attendance=False)  # small: many groups of 1 to 4 people
    _framework(project)
    publish(project)
    responses = _donor_responses(client_for(donor), project)
    counts = re.findall(r'data-count="([^"]*)"', responses["dashboard"])
    assert len(counts) > 50
    assert "&lt; 5" in counts and "…" in counts  # the data has small groups, and they are hidden
    shown = [int(value.replace(" ", "")) for value in counts if value not in ("&lt; 5", "…", "—")]
    assert not [value for value in shown if 1 <= value <= 4]
    arabic = re.findall(r'data-count="([^"]*)"', responses["dashboard (ar)"])
    assert len(arabic) == len(counts)
    assert not [value for value in arabic if value.replace(".", "").isdigit() and 1 <= int(value.replace(".", "")) <= 4]
    with translation.override("fr"):
        events = {str(TABLE_TITLES[key]) for key in ("events_by_kind", "events_by_quarter")}
    for line in responses["csv"].splitlines()[1:]:
        if line.split(";", 1)[0] in events:
            continue  # workshops held are events, not people: shown as they are
        value = line.rsplit(";", 1)[-1]
        assert value not in {"1", "2", "3", "4"}, line
    iati = etree.fromstring(responses["iati"].encode())
    for actual in iati.iter("actual"):
        if actual.get("value") is not None:
            assert not 1 <= Decimal(actual.get("value")) <= 4


def test_the_dashboard_reads_in_french_and_in_english(client_for, project, donor, field_staff):
    build_dataset(project, field_staff, 40, attendance=False)
    publish(project)
    client = client_for(donor)
    french = text(client.get(reverse("reports:dashboard", args=[project.code])))
    assert "Femme" in french and "Migrants enregistrés, par tranche d’âge et sexe" in french
    assert re.search(r"T[1-4] 20\d\d", french)
    english = text(client.get("/en" + reverse("reports:dashboard", args=[project.code])))
    assert "Female" in english and "Migrants registered, by age group and sex" in english
    assert re.search(r"Q[1-4] 20\d\d", english)
    assert '<svg class="bar-chart"' in client.get(reverse("reports:dashboard", args=[project.code])).content.decode()


def test_donors_read_the_release_and_staff_the_live_figures(client_for, project, donor, me_officer, field_staff):
    """A registration after the release changes what staff see at once, and nothing a donor sees
    until the next release is published."""
    build_dataset(project, field_staff, 30, attendance=False)
    _framework(project)
    publish(project)
    url = reverse("reports:dashboard", args=[project.code])
    donor_page, staff_page = text(client_for(donor).get(url)), text(client_for(me_officer).get(url))
    registered = int(re.search(HEADLINE_REGISTERED, donor_page).group(1))
    assert int(re.search(HEADLINE_REGISTERED, staff_page).group(1)) == registered
    make_beneficiary(project, field_staff, first_name="Nouvelle", last_name="Personne", phone="")
    assert int(re.search(HEADLINE_REGISTERED, text(client_for(donor).get(url))).group(1)) == registered
    # Staff see the next release as it would be published: the new total, or hidden if showing
    # it would single out the one person registered since the last release.
    preview = re.search(HEADLINE_ANY, text(client_for(me_officer).get(url))).group(1)
    assert preview in {str(registered + 1), "…"}
    publish(project)
    assert re.search(HEADLINE_ANY, text(client_for(donor).get(url))).group(1) == preview


def test_before_any_release_a_donor_reads_that_nothing_is_published(client_for, project, donor, field_staff):
    build_dataset(project, field_staff, 20, attendance=False)
    page = text(client_for(donor).get(reverse("reports:dashboard", args=[project.code])))
    assert "Aucun résultat n’a encore été publié" in page or "No results have been published" in page
    assert 'data-count="' not in page
    assert client_for(donor).get(reverse("reports:aggregates", args=[project.code, "csv"])).status_code == 404


@pytest.mark.parametrize("people", [10, 200])
def test_the_dashboard_runs_the_same_queries_whatever_the_data(client_for, project, donor, field_staff, people):
    build_dataset(project, field_staff, people, attendance=False)
    _framework(project)
    publish(project)
    client = client_for(donor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:dashboard", args=[project.code])).status_code == 200
    # The same count for 10 people and 200: a release is read, never the records.
    assert len(queries) <= 20
    tables = {q["sql"].split(" FROM ")[1].split()[0] for q in queries if " FROM " in q["sql"]}
    assert not {'"beneficiaries_beneficiary"', '"trainings_enrollment"'} & tables


def test_a_download_is_csv_or_xlsx_and_nothing_else(client_for, project, donor):
    client = client_for(donor)
    assert client.get(f"/projects/{project.code}/dashboard/aggregates.pdf").status_code == 404
    assert client.get(f"/projects/{project.code}/dashboard/aggregates.csv%00").status_code == 400  # a NUL byte


def test_the_iati_file_of_fm0390_validates_against_the_official_schema(client, django_user_model):
    call_command("load_project", "FM.0390", stdout=io.StringIO())  # the project and its framework
    build_dataset(Project.objects.get(code="FM.0390"), django_user_model.objects.create(username="seeder"), 120)
    publish(Project.objects.get(code="FM.0390"))
    response = client.get(reverse("reports:iati", args=["FM.0390"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(document), schema.error_log
    activity = document.find("iati-activity")
    assert activity.findtext("iati-identifier") == "XM-DAC-47066-FM.0390"
    assert activity.find("recipient-country").get("code") == "MA"
    assert activity.find("budget/value").text == "200000"
    assert activity.find("budget/value").get("currency") == "USD"
    assert activity.find("activity-status").get("code") == "4"
    assert activity.find("activity-scope").get("code") == "4"
    assert activity.find("other-identifier").get("ref") == "MA10P0001"
    assert activity.find("reporting-org").get("ref") == "XM-DAC-47066"
    titles = {n.get(IATI, "fr"): n.text for n in activity.find("title")}
    assert titles["fr"].startswith("Formation professionnelle") and titles["en"].startswith("Vocational")
    assert {s.get("code") for s in activity.iter("sector")} == {"11330", "16020", "15190"}
    assert sum(Decimal(s.get("percentage")) for s in activity.iter("sector")) == 100
    assert {(t.get("vocabulary"), t.get("code")) for t in activity.iter("tag")} >= {("2", "8"), ("3", "10.7")}
    results = activity.findall("result")
    project = Project.objects.get(code="FM.0390")
    assert len(results) == project.indicators.count()
    assert {r.get("type") for r in results} == {"1", "2"}
    dimensions = {d.get("value") for d in activity.iter("dimension") if d.get("name") == "sex"}
    assert dimensions == {"female", "male"}


def test_a_private_projects_iati_file_is_for_its_members_only(client, client_for, other_project, outsider):
    assert client.get(reverse("reports:iati", args=[other_project.code])).status_code == 404
    assert client_for(outsider).get(reverse("reports:iati", args=[other_project.code])).status_code == 200
