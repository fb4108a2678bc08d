"""Forms for phones (KoboToolbox, ODK Collect): XLSForms the portal writes pass pyxform, and a
KoboToolbox export of their submissions imports through the spreadsheet import, once."""

import csv
import io
from datetime import date, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from beneficiaries.models import Beneficiary
from beneficiaries.xlsforms import city_choice_name
from trainings.models import Attendance, Session
from trainings.services import enroll

from ..beneficiaries.test_imports import _commit, _letters, upload
from ..factories import TrainingFactory, make_beneficiary

LANGUAGES = ("Français (fr)", "English (en)", "العربية (ar)")


def _xform(content: bytes) -> str:
    """The XForm pyxform makes of an XLSForm (raising on any error in it)."""
    return convert(xlsform=io.BytesIO(content), file_type=".xlsx").xform


def test_the_registration_form_passes_pyxform_in_three_languages(client_for, me_officer, project, cities):
    response = client_for(me_officer).get(reverse("beneficiaries:import-xlsform", args=[project.code]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    xform = _xform(response.content)
    assert all(f'lang="{language}"' in xform for language in LANGUAGES)
    assert "Date de naissance" in xform and "Last name in the other script" in xform
    assert "الاسم العائلي بالكتابة الأخرى" in xform
    survey = load_workbook(io.BytesIO(response.content))["survey"]
    names = [row[1] for row in survey.iter_rows(min_row=2, values_only=True)]
    assert names[:4] == ["last_name", "first_name", "other_last_name", "other_first_name"]
    choices = load_workbook(io.BytesIO(response.content))["choices"]
    cities_offered = {row[1] for row in choices.iter_rows(min_row=2, values_only=True) if row[0] == "cities"}
    assert cities_offered == {city_choice_name(city) for city in cities.values()}


def test_the_attendance_form_of_a_session_passes_pyxform_and_names_the_people_enrolled(
    client_for, field_staff, project
):
    today = timezone.localdate()
    training = TrainingFactory(
        project=project, start_date=today - timedelta(days=3), end_date=today + timedelta(days=9)
    )
    session = Session.objects.create(training=training, date=today, start_time=time(9))
    person = make_beneficiary(project, field_staff, first_name="Awa", last_name="Sow")
    (enrollment,) = enroll(training=training, beneficiaries=[person], by=field_staff)
    url = reverse("trainings:session-xlsform", args=[training.pk, session.pk])
    xform = _xform(client_for(field_staff).get(url).content)
    assert f"enrollment_{enrollment.pk}" in xform and f"SOW Awa · {person.reference}" in xform
    assert "Présent" in xform and "Present" in xform and "حاضر" in xform


def _kobo_export(count: int, cities) -> bytes:
    """A KoboToolbox CSV export (semicolons, its own columns around the questions)."""
    rows = []
    header = [
        "start", "end", "today", "last_name", "first_name", "other_last_name", "other_first_name", "sex",
        "date_of_birth", "nationality", "city", "phone", "residence_card_number", "regularization_year",
        "consent_processing", "consent_processing_date", "consent_sharing", "_id", "_uuid",
        "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags",
        "_index",
    ]  # fmt: skip
    born = date(1990, 1, 1)
    for number in range(count):
        uuid = f"b1c2d3e4-0000-4000-8000-{number:012d}"
        rows.append([
            "2026-11-30T09:00:00.000+01:00", "2026-11-30T09:05:00.000+01:00", "2026-11-30",
            _letters(number), "Awa", "", "", "F", (born + timedelta(days=number)).isoformat(), "SN",
            city_choice_name(cities["Rabat"]), "", "", "2014", "yes", "", "no", str(1000 + number), uuid,
            "2026-11-30T09:05:12", "", "", "submitted_via_web", "", "vGq5", "", str(number + 1),
        ])  # fmt: skip
    output = io.StringIO()
    csv.writer(output, delimiter=";").writerows([header, *rows])
    return output.getvalue().encode()


def test_a_kobo_export_of_500_submissions_imports_in_one_preview_and_one_commit_then_adds_nothing(
    client_for, me_officer, project, cities
):
    client = client_for(me_officer)
    content = _kobo_export(500, cities)
    preview = upload(client, project, "kobo-export.csv", content)
    result = preview.context["result"]
    assert result.problem_count == 0 and result.to_import == 500
    _commit(client, preview)
    assert Beneficiary.objects.count() == 500
    person = Beneficiary.objects.get(source_id="b1c2d3e4-0000-4000-8000-000000000007")
    assert person.consent_processing_date == date(2026, 11, 30)  # the day it was sent
    assert person.consent_processing_method == Beneficiary.ConsentMethod.DIGITAL
    again = upload(client, project, "kobo-export.csv", content).context["result"]
    assert again.to_import == 0 and again.already_registered == 500
    assert Beneficiary.objects.count() == 500


def test_a_submission_twice_in_one_export_or_a_forged_id_is_a_problem_of_its_row(
    client_for, me_officer, project, cities
):
    lines = _kobo_export(2, cities).decode().splitlines()
    twice = "\n".join([*lines, lines[1].replace(_letters(0), "Zed")]).encode()
    problems = upload(client_for(me_officer), project, "twice.csv", twice).context["result"].problems
    assert [(problem.row, "row 2" in problem.message or "ligne 2" in problem.message) for problem in problems] == [
        (4, True)
    ]
    forged = "\n".join([lines[0], lines[1].replace("b1c2d3e4-0000-4000-8000-000000000000", "x' OR 1=1 --")])
    problems = upload(client_for(me_officer), project, "forged.csv", forged.encode()).context["result"].problems
    assert [problem.column for problem in problems] == ["Identifiant de la soumission"]
    assert not Beneficiary.objects.exists()


def test_an_attendance_export_fills_in_the_grid_for_checking_and_saves_nothing(client_for, field_staff, project):
    today = timezone.localdate()
    training = TrainingFactory(
        project=project, start_date=today - timedelta(days=3), end_date=today + timedelta(days=9)
    )
    session = Session.objects.create(training=training, date=today - timedelta(days=1), start_time=time(9))
    awa = make_beneficiary(project, field_staff, first_name="Awa", residence_card_number="A1")
    yao = make_beneficiary(project, field_staff, first_name="Yao", residence_card_number="Y1")
    first, second = enroll(training=training, beneficiaries=[awa, yao], by=field_staff)
    header = (
        f"start;session;about;enrollment_{first.pk};enrollment_{second.pk};enrollment_999999;_uuid;_submission_time"
    )
    export = "\n".join(
        [
            header,
            f"x;{session.pk};;present;present;;u1;2026-11-30T09:00:00",
            f"x;{session.pk};;absent;maybe;present;u2;2026-11-30T10:00:00",  # the last one sent wins
            f"x;{session.pk + 1};;excused;excused;;u3;2026-11-30T11:00:00",  # another session's
        ]
    ).encode()
    client = client_for(field_staff)
    url = reverse("trainings:session-attendance", args=[training.pk, session.pk])
    response = client.post(url, {"phone_export": SimpleUploadedFile("export.csv", export)})
    assert response.status_code == 200
    lines = {
        line.record.pk: [radio.value for radio in line.radios if radio.checked]
        for line in response.context["form"].lines
    }
    assert lines == {first.pk: ["absent"], second.pk: ["present"]}  # "maybe" left out: the default stays
    notes = [str(message) for message in response.context["messages"]]
    assert any("2 réponses" in note for note in notes), notes
    assert not Attendance.objects.exists()  # nothing saved until the officer saves the grid
    other = reverse("trainings:session-attendance", args=[training.pk, session.pk])
    lines = export.decode().splitlines()
    wrong = "\n".join([lines[0], lines[3]]).encode()
    response = client.post(other, {"phone_export": SimpleUploadedFile("export.csv", wrong)}, follow=True)
    assert "ne contient aucune soumission de cette séance" in response.content.decode()
    response = client.post(other, {"phone_export": SimpleUploadedFile("export.pdf", b"%PDF")}, follow=True)
    assert response.status_code == 200 and not Attendance.objects.exists()
