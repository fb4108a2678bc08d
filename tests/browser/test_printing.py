"""Paper that prints right, measured on the PDF Chromium prints: a certificate is exactly one A4
landscape sheet with the names, the signature line and the verification code; the donor report
breaks only between sections and never cuts a column. Pages are counted with pdfinfo and read with
pdftotext (poppler-utils; the tests skip with the reason when it is absent)."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from trainings.models import Enrollment
from trainings.services import complete, record_attendance

from ..factories import TrainingFactory, add_sessions, make_beneficiary

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")


def _pdf_facts(pdf: bytes, tmp_path) -> tuple[dict, list[str]]:
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    info = dict(
        line.split(":", 1)
        for line in subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout.splitlines()
    )
    pages = int(info["Pages"])
    texts = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True
        ).stdout
        for n in range(1, pages + 1)
    ]
    return {key.strip(): value.strip() for key, value in info.items()}, texts


def test_a_certificate_prints_on_one_a4_landscape_sheet(live_server, sign_in, field_staff, project, tmp_path):
    today = timezone.localdate()
    training = TrainingFactory(
        project=project,
        title="Maintenance automobile et diagnostic électronique des véhicules légers",
        start_date=today - timedelta(days=40),
        end_date=today - timedelta(days=1),
    )
    person = make_beneficiary(project, field_staff, first_name="Aïssatou", last_name="Ouédraogo-Kaboré")
    enrollment = Enrollment.objects.create(
        training=training,
        beneficiary=person,
        status="enrolled",
        enrolled_on=training.start_date,
        created_by=field_staff,
    )
    for session in add_sessions(training, 2):
        record_attendance(session=session, marks={enrollment.pk: "present"}, by=field_staff)
    complete(training=training, by=field_staff)
    enrollment.refresh_from_db()
    page = sign_in(field_staff)
    page.goto(f"{live_server.url}/trainings/{training.pk}/enrollments/{enrollment.pk}/certificate/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    info, (text, *more) = _pdf_facts(pdf, tmp_path)
    assert info["Pages"] == "1" and not more
    width, _x, height, *_rest = info["Page size"].split()
    assert info["Page size"].endswith("(A4)") and float(width) > float(height)  # A4, landscape
    flat = " ".join(text.split())
    (tmp_path / "certificate.txt").write_text(text)
    for expected in (
        "Organisation internationale pour les migrations (OIM)",
        project.code,
        "Aïssatou OUÉDRAOGO-KABORÉ",
        enrollment.certificate_number,
        enrollment.verification_code,
        "/certificates/",
        "Signature et cachet",
    ):
        assert expected.casefold() in flat.casefold(), expected
    assert "Imprimer" not in flat and "Masar" not in flat  # no button, no navigation, no footer


def test_the_donor_report_breaks_between_sections_and_never_cuts_a_column(
    live_server, sign_in, donor, field_staff, project, tmp_path
):
    from core.roles import Role
    from projects.models import Indicator
    from reports.services import publish_release

    from ..datasets import build_dataset
    from ..factories import UserFactory

    build_dataset(project, field_staff, 300, attendance=False)
    Indicator.objects.create(
        project=project, code="1.1", level="output", name_fr="Migrants inscrits", target=100, metric="registered"
    )
    publish_release(project=project, by=UserFactory(role=Role.ME_OFFICER, projects=[project]))
    page = sign_in(donor)
    page.goto(f"{live_server.url}/projects/{project.code}/report/")
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "report.pdf").write_bytes(pdf)
    info, pages = _pdf_facts(pdf, tmp_path)
    print(f"\nThe donor report prints on {info['Pages']} A4 pages")
    assert all(text.strip() for text in pages), "an empty page"
    for number, text in enumerate(pages, start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        # A heading never ends a page: the section it announces starts on the same page.
        assert not lines[-1].strip().startswith(("Migrants touchés", "Formation et emploi")), number
    # No column cut at the sheet's edge: every table heading row on paper ends with its "Total"
    # column (the tables by quarter and by age group have one).
    headings = [
        line[line.index(word) :].strip()
        for text in pages
        for line in text.splitlines()
        for word in ("Trimestre ", "Tranche d")
        if word in line
    ]
    assert len(headings) >= 3, pages
    cut = [heading for heading in headings if not heading.endswith("Total")]
    assert not cut, cut
