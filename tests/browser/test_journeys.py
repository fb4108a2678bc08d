"""The main journeys, in Chromium, with axe-core run on every page they visit."""

import re

import pytest

from beneficiaries.models import Beneficiary
from core.roles import Role
from projects.models import Indicator
from reports.services import publish_release
from trainings.models import Enrollment, FollowUp

from ..datasets import build_dataset
from ..factories import LocationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_field_staff_register_enroll_take_attendance_complete_certify_and_follow_up(
    live_server, sign_in, check_accessibility, field_staff, project, trainings
):
    running, ended = trainings
    page = sign_in(field_staff)
    base = live_server.url
    check_accessibility(page)

    # Register a migrant.
    page.goto(f"{base}/beneficiaries/new/")
    check_accessibility(page)
    page.locator("#id_first_name").fill("Mariama")
    page.locator("#id_last_name").fill("Bah")
    page.locator("#id_sex").select_option("F")
    page.locator("#id_date_of_birth").fill("1994-06-02")
    page.locator("#id_nationality").select_option("GN")
    page.locator("#id_city").select_option(label="Rabat")
    page.locator("#id_consent_processing").check()
    page.locator("#id_consent_processing_method").select_option("written")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer", exact=True).click()
    errors = page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
    assert "enregistré·e" in page.content(), errors
    mariama = Beneficiary.objects.get(first_name="Mariama")
    check_accessibility(page)

    # The same person again, spelled otherwise: a duplicate warning, then "not the same person".
    page.goto(f"{base}/beneficiaries/new/")
    page.locator("#id_first_name").fill("Mariam")
    page.locator("#id_last_name").fill("BAH")
    page.locator("#id_sex").select_option("F")
    page.locator("#id_date_of_birth").fill("1994-06-02")
    page.locator("#id_nationality").select_option("GN")
    page.locator("#id_city").select_option(label="Rabat")
    page.locator("#id_consent_processing").check()
    page.locator("#id_consent_processing_method").select_option("written")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    warning = page.get_by_role("alert").filter(has_text="Cette personne est peut-être déjà enregistrée")
    warning.wait_for()
    assert mariama.reference in warning.inner_text()
    check_accessibility(page)

    # Enroll Mariama in the running training.
    page.goto(f"{base}/trainings/{running.pk}/enroll/?q=mariama")
    check_accessibility(page)
    page.get_by_label(re.compile("BAH Mariama")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Inscrire les personnes cochées").click()
    assert "1 personne inscrite." in page.content()
    check_accessibility(page)

    # The ended training: she was enrolled before it began; take both sessions' attendance.
    Enrollment.objects.create(
        training=ended, beneficiary=mariama, status="enrolled", enrolled_on=ended.start_date, created_by=field_staff
    )
    for session in ended.sessions.all():
        page.goto(f"{base}{session.get_absolute_url()}")
        check_accessibility(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer la présence").click()
        assert "Présence enregistrée pour 1 personne." in page.content()

    # Complete the training, print the certificate.
    page.goto(f"{base}/trainings/{ended.pk}/complete/")
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Clôturer et délivrer les attestations").click()
    assert "1 certifié·e(s)" in page.content()
    enrollment = Enrollment.objects.get(training=ended, beneficiary=mariama)
    page.goto(f"{base}/trainings/{ended.pk}/enrollments/{enrollment.pk}/certificate/")
    check_accessibility(page)
    page.emulate_media(media="print")
    assert page.get_by_role("button", name="Imprimer").is_hidden()
    assert page.get_by_text(enrollment.certificate_number).is_visible()
    page.emulate_media(media="screen")

    # A six-month follow-up from her page.
    page.goto(f"{base}{mariama.get_absolute_url()}")
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Enregistrer un suivi")).click()
    check_accessibility(page)
    page.locator("#id_months_after").select_option("6")
    page.locator("#id_employment_status").select_option("self_employed")
    page.locator("#id_income_band").select_option("1000-2999")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le suivi").click()
    assert "Suivi enregistré." in page.content()
    assert FollowUp.objects.get(enrollment=enrollment).months_after == 6


def test_an_me_officer_imports_a_spreadsheet_and_exports_the_list(
    live_server, sign_in, check_accessibility, me_officer, project, tmp_path
):
    LocationFactory(name="Casablanca")
    sheet = tmp_path / "liste.csv"
    sheet.write_text(
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Consentement au traitement\n"
        "Koné;Awa;F;12/05/1991;CI;Casablanca;oui\nSow;Ibrahima;M;1987-01-30;SN;Casablanca;oui\n",
        encoding="utf-8",
    )
    page = sign_in(me_officer)
    page.goto(f"{live_server.url}/beneficiaries/import/")
    check_accessibility(page)
    page.locator("#id_file").set_input_files(str(sheet))
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le fichier").click()
    assert "2 personnes à importer" in page.content()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Importer 2 personnes")).click()
    assert "2 personnes importées dans FM.0390." in page.content()
    check_accessibility(page)
    page.get_by_role("button", name="Exporter cette liste").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "Koné" in content and "Sow" in content
    assert Beneficiary.objects.count() == 2


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_donor_reads_the_dashboard_and_downloads_the_figures(
    live_server, sign_in, check_accessibility, donor, field_staff, project, prefix
):
    build_dataset(project, field_staff, 80, attendance=False)
    Indicator.objects.create(
        project=project,
        code="1.1",
        level="output",
        name_fr="Migrants inscrits",
        name_en="Migrants registered",
        target=100,
        metric="registered",
    )
    publish_release(project=project, by=UserFactory(role=Role.ME_OFFICER, projects=[project]))
    page = sign_in(donor)
    page.goto(f"{live_server.url}{prefix}/projects/{project.code}/")
    check_accessibility(page)
    dashboard = "Tableau de bord des résultats" if not prefix else "Results dashboard"
    with page.expect_navigation():
        page.get_by_role("link", name=dashboard).click()
    check_accessibility(page)
    chart = page.get_by_role("img", name=re.compile("par tranche d’âge" if not prefix else "by age group"))
    assert chart.is_visible()
    page.locator("section.figure-block", has=chart).locator("summary").click()  # its figures, as a table
    table = page.locator("table", has=page.locator("caption", has_text=re.compile("tranche d’âge|age group")))
    assert table.locator("tfoot").inner_text().split()[-1] == "80"  # every person counted once
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).click()
    figures = download.value.path().read_text(encoding="utf-8-sig")
    assert "80" in figures and ("Cadre de résultats" if not prefix else "Results framework") in figures
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Excel")).click()
    assert download.value.suggested_filename == "FM0390-results-release-1.xlsx"
    with page.expect_navigation():
        page.get_by_role("link", name="Rapport à imprimer" if not prefix else "Report to print").click()
    check_accessibility(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Imprimer" if not prefix else "Print").is_visible()


@pytest.mark.parametrize("prefix, title", [("", "Nos projets"), ("/en", "Our projects")])
def test_a_visitor_reads_the_public_project_sheet_in_french_and_english(
    live_server, page, check_accessibility, project, prefix, title
):
    page.goto(f"{live_server.url}{prefix}/projects/{project.code}/")
    assert page.get_by_role("heading", level=1).inner_text() == (project.title_fr if not prefix else project.title_en)
    check_accessibility(page)
    page.goto(f"{live_server.url}{prefix}/projects/")
    check_accessibility(page)


def test_an_administrator_edits_the_project_in_the_admin(live_server, sign_in, admin_user, project):
    page = sign_in(admin_user)
    page.goto(f"{live_server.url}/admin/projects/project/{project.pk}/change/")
    page.locator("#id_title_en").fill("Livelihoods for regularized migrants")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer", exact=True).click()
    project.refresh_from_db()
    assert project.title_en == "Livelihoods for regularized migrants"


def test_the_accessibility_check_can_fail(page, check_accessibility):
    page.set_content('<html lang="fr"><body><main><img src="photo.png"><a href="/"></a></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        check_accessibility(page)


# Each visible control and text a reader must reach, outside the 375 px screen or hidden by a box
# that clips it without letting it scroll into view: what a phone user cannot see or tap.
OUT_OF_REACH = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.overflowX === "hidden" || style.overflowX === "clip") {
        const box = node.getBoundingClientRect(), mine = element.getBoundingClientRect();
        if (mine.right > box.right + 1 || mine.left < box.left - 1) return true;
      }
    }
    return false;
  };
  return [...document.querySelectorAll("main a, main button, main input, main select, main textarea, main th, main td")]
    .filter((element) => element.offsetParent !== null && element.getClientRects().length)
    .filter((element) => !element.closest(".visually-hidden, .visually-hidden-focusable"))
    .filter((element) => {  // inside a box hidden the visually-hidden way (1 px, clipped): for screen readers
      for (let node = element; node; node = node.parentElement) {
        const box = node.getBoundingClientRect();
        if (box.width <= 1 && box.height <= 1) return false;
      }
      return true;
    })
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.right > width + 1 || box.left < -1 || clipped(element);
    })
    .map((element) => element.tagName + " " + (element.textContent || element.name || "").trim().slice(0, 30));
}"""


def test_pages_fit_a_phone(live_server, sign_in, me_officer, staff_pages):
    page = sign_in(me_officer)
    page.set_viewport_size({"width": 375, "height": 800})
    too_wide, out_of_reach = {}, {}
    for url in staff_pages:
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[url] = width
        missed = page.evaluate(OUT_OF_REACH)
        if missed:
            out_of_reach[url] = missed[:5]
    assert not too_wide
    assert not out_of_reach, "\n".join(f"{url}: {missed}" for url, missed in out_of_reach.items())


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_staff_pages_have_no_serious_accessibility_problem(
    live_server, sign_in, check_accessibility, me_officer, staff_pages, prefix
):
    urls = staff_pages
    page = sign_in(me_officer)
    for url in urls:
        page.goto(live_server.url + prefix + url)
        check_accessibility(page)
    assert len(check_accessibility.checked) == len(urls)
