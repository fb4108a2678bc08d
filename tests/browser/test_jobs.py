"""An import followed through its jobs in a real browser: the database backend and its worker, the
page's progress read from the job's counters (js/job.js), which shows the outcome by itself."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary

from ..beneficiaries.test_imports import _file_of
from ..factories import LocationFactory


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload")


def test_an_import_shows_its_progress_then_its_preview_then_its_people_without_a_reload(
    live_server, sign_in, check_accessibility, me_officer, project, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    LocationFactory(name="Rabat")
    sheet = tmp_path / "liste.csv"
    sheet.write_bytes(_file_of(300))
    page = sign_in(me_officer)
    page.goto(f"{live_server.url}/beneficiaries/import/")
    page.locator("#id_file").set_input_files(str(sheet))
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", name="Vérification de liste.csv")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_text("En attente d’un processus d’arrière-plan")).to_be_visible()  # no worker yet
    check_accessibility(page)
    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=str(tmp_path / "checking.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    run_worker()  # the page, polling the job's counters, shows the preview by itself
    expect(page.get_by_text("300 personnes à importer")).to_be_visible(timeout=10_000)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name=re.compile("Importer 300 personnes")).click()
    expect(page.get_by_role("heading", name="Importation de liste.csv")).to_be_visible()
    assert not Beneficiary.objects.exists()

    run_worker()
    expect(page.get_by_text("300 personnes importées dans FM.0390.")).to_be_visible(timeout=10_000)
    assert Beneficiary.objects.count() == 300
    check_accessibility(page)
