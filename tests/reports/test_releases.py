"""Releases: the M&E officer previews, publishes and withdraws them; a release never changes; donors
and the public read nothing that is not in the current release."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import Role
from reports.jobs import publish
from reports.models import Publication, Release

from ..datasets import build_dataset
from ..factories import ProjectFactory, UserFactory, make_beneficiary
from ..pages import text

pytestmark = pytest.mark.django_db


def _publish_through_the_page(client, project):
    return client.post(reverse("reports:release-publish", args=[project.code]))


def test_the_me_officer_previews_then_publishes_and_donors_read_it(client_for, project, field_staff, me_officer, donor):
    build_dataset(project, field_staff, 40, attendance=False)
    officer = client_for(me_officer)
    preview = officer.get(reverse("reports:releases", args=[project.code]))
    assert preview.status_code == 200 and "Publier ces chiffres" in text(preview)
    assert "1 à 4 personnes" in text(preview) and "registered_by_age:" not in text(preview)  # said in words
    response = _publish_through_the_page(officer, project)
    assert response.status_code == 302
    release = Release.objects.get(project=project)
    assert release.number == 1 and release.published_by == me_officer and release.audit["safe"]
    page = text(client_for(donor).get(reverse("reports:dashboard", args=[project.code])))
    assert "Publication 1" in page or "Release 1" in page


def test_a_withdrawn_release_gives_way_to_the_one_before(client_for, project, field_staff, me_officer, donor):
    build_dataset(project, field_staff, 30, attendance=False)
    officer = client_for(me_officer)
    _publish_through_the_page(officer, project)
    make_beneficiary(project, field_staff, first_name="Encore", phone="")
    _publish_through_the_page(officer, project)
    withdraw = reverse("reports:release-withdraw", args=[project.code, 2])
    officer.post(withdraw, {"reason": "   "})  # no reason: refused, nothing changes
    assert not Release.objects.get(number=2).is_withdrawn
    officer.post(withdraw, {"reason": "Erreur de saisie corrigée"})
    second = Release.objects.get(number=2)
    assert second.is_withdrawn and second.withdrawn_by == me_officer
    page = text(client_for(donor).get(reverse("reports:dashboard", args=[project.code])))
    assert ("Publication 1" in page or "Release 1" in page) and "Publication 2" not in page


def test_a_published_release_never_changes(project, me_officer, admin_user, client_for):
    from reports.services import publish_release

    release = publish_release(project=project, by=me_officer)
    release.figures["tables"] = {}
    with pytest.raises(ValidationError):
        release.save()
    with pytest.raises(ValidationError):
        release.save(update_fields=["figures"])
    # The admin shows it, and changes nothing.
    url = reverse("admin:reports_release_change", args=[release.pk])
    admin = client_for(admin_user)
    assert admin.get(url).status_code == 200
    admin.post(url, {"period_end": "2000-01-01"})
    release.refresh_from_db()
    assert release.figures["tables"] and str(release.period_end) != "2000-01-01"


@pytest.mark.parametrize("persona", ["field_staff", "donor", "anonymous"])
def test_only_the_me_officer_publishes(client_for, project, personas, persona):
    response = _publish_through_the_page(client_for(personas[persona]), project)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "login" in response["Location"]
    assert not Release.objects.exists()


def test_an_me_officer_of_another_project_finds_nothing(client_for, project):
    elsewhere = UserFactory(role=Role.ME_OFFICER, projects=[ProjectFactory(code="ZZ.0009")])
    client = client_for(elsewhere)
    assert client.get(reverse("reports:releases", args=[project.code])).status_code == 404
    assert _publish_through_the_page(client, project).status_code == 404
    assert not Release.objects.exists()


def test_nothing_a_donor_or_the_public_reads_is_outside_the_current_release(
    client_for, project, field_staff, me_officer, donor
):
    """A crawl of every page and download: each count shown is one the release holds, and after
    more people are registered, none of the new live figures leaks before the next release."""
    build_dataset(project, field_staff, 50, attendance=False)
    _publish_through_the_page(client_for(me_officer), project)
    release = Release.objects.get()
    published = {str(cell) for table in release.figures["tables"].values() for row in table["grid"] for cell in row}
    published |= {str(h["value"]) for h in release.figures["headlines"]}
    for n in range(7):
        make_beneficiary(project, field_staff, first_name=f"Tard{n}", phone="")
    code = project.code
    for client in (client_for(donor), client_for(None)):
        pages = [reverse("reports:project-detail", args=[code])]
        if client is not None and client.session.get("_auth_user_id"):
            pages += [reverse("reports:dashboard", args=[code]), reverse("reports:print-report", args=[code])]
        for url in pages:
            for value in re.findall(r'data-count="([^"]*)"', client.get(url).content.decode()):
                assert value.replace("&lt;", "<") in published, (url, value)
    csv = b"".join(client_for(donor).get(reverse("reports:aggregates", args=[code, "csv"])).streaming_content)
    for line in csv.decode("utf-8-sig").splitlines()[1:]:
        table, _row, _column, value = line.rsplit(";", 3) if line.count(";") >= 3 else (None, None, None, None)
        if table and value and value.isdigit() and "Cadre de résultats" not in line:
            assert value in published, line


# --- Publication as a job --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_publication_waits_for_the_worker_and_the_page_follows_it(
    client_for, project, field_staff, me_officer, settings
):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    build_dataset(project, field_staff, 30, attendance=False)
    officer = client_for(me_officer)
    _publish_through_the_page(officer, project)
    page = officer.get(reverse("reports:releases", args=[project.code]))
    assert "Une publication est en cours" in text(page) and "Publier ces chiffres" not in text(page)
    status = reverse("reports:release-status", args=[project.code])
    assert officer.get(status).json()["running"] is True
    again = officer.post(reverse("reports:release-publish", args=[project.code]), follow=True)
    assert "Une publication de ce projet est en cours" in text(again)  # one at a time
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload")
    assert officer.get(status).json()["running"] is False
    assert Release.objects.get(project=project).number == 1
    assert Publication.objects.get().release == Release.objects.get()


def test_a_publication_run_twice_publishes_once(client_for, project, field_staff, me_officer):
    build_dataset(project, field_staff, 30, attendance=False)
    response = _publish_through_the_page(client_for(me_officer), project)
    assert response.status_code == 302
    publish.call(str(Publication.objects.get().pk))  # the worker's first run, come back to life
    assert Release.objects.filter(project=project).count() == 1


def test_a_publication_refused_by_the_audit_says_why_and_publishes_nothing(
    client_for, project, field_staff, me_officer, monkeypatch
):
    from reports import services

    def refused(**kwargs):
        raise ValidationError(services.UNSAFE)

    monkeypatch.setattr(services, "publish_release", refused)
    officer = client_for(me_officer)
    response = officer.post(reverse("reports:release-publish", args=[project.code]), follow=True)
    assert "ne peuvent pas être publiés sans risque" in text(response)
    assert not Release.objects.exists() and Publication.objects.get().is_failed
    page = text(officer.get(reverse("reports:releases", args=[project.code])))
    assert "ne peuvent pas être publiés sans risque" in page and "Publier ces chiffres" in page
