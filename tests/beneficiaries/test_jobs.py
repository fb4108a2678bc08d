"""Imports and large exports as background jobs: through the database backend and its real worker
(``db_worker``), with counters the page reads, and a second run that writes nothing twice."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beneficiaries import imports, jobs
from beneficiaries.models import AccessLog, Beneficiary, ExportJob, ImportJob
from core.roles import Role

from ..factories import LocationFactory, UserFactory, make_beneficiary
from ..pages import text
from .test_imports import _file_of, _letters

URL = reverse("beneficiaries:beneficiary-import")


def upload(client, project, content: bytes, name: str = "liste.csv"):
    return client.post(URL, {"project": project.pk, "file": SimpleUploadedFile(name, content)})


def run_worker():
    """The database backend's own worker, until no job is left."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload")


@pytest.fixture
def database_backend(settings):
    """Jobs go through the database backend, as in production, instead of running in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def rabat(db):
    return LocationFactory(name="Rabat")


@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_the_worker_then_is_previewed_and_committed_through_it(
    client_for, me_officer, project, rabat, database_backend
):
    client = client_for(me_officer)
    page = upload(client, project, _file_of(600))["Location"]
    job = ImportJob.objects.get()
    assert page == job.get_absolute_url() and job.status == "checking"
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    waiting = client.get(page)
    assert "Vérification de liste.csv" in text(waiting) and 'data-job-status="' in waiting.content.decode()
    assert client.get(page + "status/").json() == {
        "status": "checking",
        "running": True,
        "rows_total": 0,
        "rows_done": 0,
        "percent": 0,
    }

    run_worker()
    assert client.get(page + "status/").json()["running"] is False
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("checked", 600, 600)
    assert "600 personnes à importer" in text(client.get(page))
    assert not Beneficiary.objects.exists()

    client.post(page, {})
    assert ImportJob.objects.get().status == "committing"
    assert "Importation de liste.csv" in text(client.get(page))
    run_worker()
    done = client.get(page, follow=True)
    assert "600 personnes importées dans FM.0390." in text(done)
    assert Beneficiary.objects.count() == 600
    assert set(Beneficiary.objects.values_list("import_batch", flat=True)) == {ImportJob.objects.get().import_batch}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_the_check_reports_its_progress_as_it_goes(project, rabat):
    seen = []
    imports.preview(project=project, filename="a.csv", content=_file_of(600), progress=lambda *c: seen.append(c))
    assert seen == [(0, 600), (250, 600), (500, 600), (600, 600)]


@pytest.mark.django_db(transaction=True)
def test_a_commit_started_again_after_its_worker_died_writes_every_row_once(
    client_for, me_officer, project, rabat, database_backend
):
    client = client_for(me_officer)
    page = upload(client, project, _file_of(30))["Location"]
    run_worker()
    client.post(page, {})
    # The worker that took the commit died: its transaction rolled back, the job still says committing,
    # and its task stays "running" in the backend forever.
    DBTaskResult.objects.filter(status="READY").update(status="RUNNING")
    assert "Relancer" not in text(client.get(page))  # not stalled yet: no button
    ImportJob.objects.update(updated_at=timezone.now() - timedelta(minutes=10))
    assert "Relancer" in text(client.get(page))
    client.post(page, {"restart": "1"})
    client.post(page, {"restart": "1"})  # twice, as an impatient person would
    run_worker()
    assert Beneficiary.objects.count() == 30
    job = ImportJob.objects.get()
    assert job.status == "done" and not job.file
    # The task run once more (the first worker's, come back to life): nothing more is written.
    jobs.commit_import.call(str(job.pk))
    assert Beneficiary.objects.count() == 30
    assert AccessLog.objects.filter(detail="import").count() == 30


def test_a_commit_that_fails_writes_nothing_and_says_why(client_for, me_officer, project, rabat, monkeypatch):
    client = client_for(me_officer)
    page = client.post(URL, {"project": project.pk, "file": SimpleUploadedFile("a.csv", _file_of(5))})["Location"]

    def broken(pairs):  # the last step of the write, after the people were inserted
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "record_cross_project_matches", broken)
    client.post(page, {})  # the worker records the error; the job says it
    assert not Beneficiary.objects.exists() and not AccessLog.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == "failed" and not job.file
    assert "n’a rien écrit" in text(client.get(page)) or "wrote nothing" in text(client.get(page))


def test_a_commit_leaves_out_who_was_registered_since_the_preview(client_for, me_officer, field_staff, project, rabat):
    client = client_for(me_officer)
    page = upload(client, project, _file_of(3))["Location"]
    # Meanwhile, one of them is registered by hand, with her card.
    make_beneficiary(
        project,
        field_staff,
        first_name="Prénom",
        last_name=_letters(1),
        date_of_birth=date(1965, 1, 2),
        residence_card_number="C000001",
    )
    done = client.post(page, {}, follow=True)
    assert "2 personnes importées dans FM.0390." in text(done)
    assert "1 ligne était déjà enregistrée et a été laissée de côté." in text(done)
    assert Beneficiary.objects.count() == 3


def test_a_commit_that_finds_new_possible_duplicates_asks_again(client_for, me_officer, field_staff, project, rabat):
    client = client_for(me_officer)
    page = upload(client, project, _file_of(2))["Location"]
    # Meanwhile, someone much like the first row is registered by hand (another card, a close name).
    make_beneficiary(
        project, field_staff, first_name="Prénom", last_name=_letters(0) + "h", date_of_birth=date(1965, 1, 1)
    )
    client.post(page, {})
    job = ImportJob.objects.get()
    assert job.status == "checked" and job.preview["flagged_rows"] == [2] and job.file
    assert Beneficiary.objects.count() == 1
    client.post(page, {"confirm_duplicates": "1"})
    assert Beneficiary.objects.count() == 3


def test_a_job_cannot_be_cancelled_once_written(client_for, me_officer, project, rabat):
    client = client_for(me_officer)
    page = upload(client, project, _file_of(2))["Location"]
    client.post(page, {})
    client.post(page, {"cancel": "1"})
    assert ImportJob.objects.get().status == "done" and Beneficiary.objects.count() == 2


def test_the_home_of_someone_who_left_the_project_no_longer_leads_to_its_import(client_for, me_officer, project, rabat):
    client = client_for(me_officer)
    page = upload(client, project, _file_of(2))["Location"]
    me_officer.memberships.all().delete()
    assert client.get(page).status_code == 404


# --- Exports ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_prepared_by_a_job_then_downloaded_by_its_owner_only(
    client_for, me_officer, field_staff, project, database_backend, settings
):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    for index in range(5):
        make_beneficiary(project, field_staff, first_name=f"Awa{index}", phone=f"+2126000000{index:02d}")
    client = client_for(me_officer)
    response = client.get(reverse("beneficiaries:beneficiary-export-csv"), {"q": "Awa"})
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert AccessLog.objects.filter(action="export", detail__contains="rows=5").count() == 1
    assert "en cours de préparation" in text(client.get(job.get_absolute_url()))
    download = reverse("beneficiaries:export-job-download", args=[job.pk])
    assert client.get(download).status_code == 404  # not ready yet
    run_worker()
    assert "est prêt" in text(client.get(job.get_absolute_url()))
    rows = list(
        csv.reader(io.StringIO(b"".join(client.get(download).streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert len(rows) == 6 and rows[0][0] == "Référence"
    # Anyone else: 404, an administrator too.
    colleague = UserFactory(username="me2", role=Role.ME_OFFICER, projects=[project])
    assert client_for(colleague).get(download).status_code == 404
    assert client_for(colleague).get(job.get_absolute_url()).status_code == 404


def test_a_small_export_is_still_sent_at_once(client_for, me_officer, field_staff, project):
    make_beneficiary(project, field_staff)
    response = client_for(me_officer).get(reverse("beneficiaries:beneficiary-export-csv"))
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_the_purge_deletes_a_prepared_export_after_a_day(client_for, me_officer, field_staff, project, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    make_beneficiary(project, field_staff)
    client = client_for(me_officer)
    client.get(reverse("beneficiaries:beneficiary-export-csv"))
    job = ExportJob.objects.get()
    assert job.is_ready and job.file
    ExportJob.objects.update(updated_at=timezone.now() - timedelta(hours=25))
    assert jobs.purge() == 1
    job.refresh_from_db()
    assert not job.file and job.is_failed
    assert client.get(reverse("beneficiaries:export-job-download", args=[job.pk])).status_code == 404
