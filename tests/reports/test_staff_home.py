"""The home page of people who work on a project: their week's sessions with the roll call a tap
away, roll calls left undone, follow-ups due, reviews waiting and their latest registrations. Others
(visitors, donors) keep the public home page."""

from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Beneficiary, CrossProjectMatch, ImportJob
from beneficiaries.services import beneficiary_withdraw
from core.roles import Role
from projects.models import Membership
from trainings.models import Enrollment, Session
from trainings.rules import add_months
from trainings.services import record_attendance, record_follow_up

from ..factories import LocationFactory, ProjectFactory, TrainingFactory, UserFactory, make_beneficiary
from ..pages import text

pytestmark = pytest.mark.django_db

HOME = reverse("home")
ONE_PERSON_CSV = (
    "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Consentement au traitement\n"
    "Sow;Ali;H;1990-01-01;SN;Rabat;oui\n"
).encode()


@pytest.fixture
def today():
    return timezone.localdate()


def _running_in_charge_of(officer, project, today, title):
    """A training of ``project`` running now (three weeks in, a month to go), ``officer`` in charge."""
    training = TrainingFactory(
        project=project, title=title, start_date=today - timedelta(days=21), end_date=today + timedelta(days=30)
    )
    training.officers.add(officer)
    return training


@pytest.fixture
def running(project, field_staff, today):
    """A training running now that the field officer is in charge of, with one person enrolled and
    a session today that has begun (at midnight)."""
    training = _running_in_charge_of(field_staff, project, today, "Maintenance automobile")
    person = make_beneficiary(project, field_staff, last_name="Diallo", first_name="Awa")
    Enrollment.objects.create(
        training=training, beneficiary=person, status=Enrollment.Status.ENROLLED, created_by=field_staff
    )
    Session.objects.create(training=training, date=today, start_time=time(0, 0), topic="Freinage")
    return training


def _session_on(training, day, start=time(9)):
    return Session.objects.create(training=training, date=day, start_time=start)


def test_the_officer_in_charge_takes_today_attendance_from_home(client_for, field_staff, running, today):
    page = client_for(field_staff).get(HOME)
    assert page.status_code == 200
    body = text(page)
    assert "Mes séances de la semaine" in body and "Maintenance automobile" in body
    session = running.sessions.get(date=today)
    assert f'href="{session.get_absolute_url()}"' in body and "Relever la présence" in body
    assert "no-store" in page["Cache-Control"]  # names of people: never kept by a browser


def test_a_session_later_today_or_this_week_is_not_offered_before_it_starts(client_for, field_staff, running, today):
    later = _session_on(running, today, start=time(23, 59)) if timezone.localtime().hour < 23 else None
    body = text(client_for(field_staff).get(HOME))
    if later is not None:
        assert f'href="{later.get_absolute_url()}"' not in body
        assert "Pas encore commencée" in body


def test_a_session_taken_says_so_and_offers_a_correction(client_for, field_staff, running, today):
    session = running.sessions.get(date=today)
    record_attendance(session=session, marks={running.enrollments.get().pk: "present"}, by=field_staff)
    body = text(client_for(field_staff).get(HOME))
    assert "Appel fait" in body and "Corriger" in body


def test_sessions_of_trainings_run_by_others_are_folded_away(client_for, field_staff, project, running, today):
    theirs = TrainingFactory(
        project=project, title="Coiffure", start_date=today - timedelta(days=3), end_date=today + timedelta(days=30)
    )
    _session_on(theirs, today)
    body = text(client_for(field_staff).get(HOME))
    folded = body[body.index("<details") :]
    assert "Coiffure" in folded and "1 autre séance de mes projets cette semaine" in folded
    assert "Maintenance automobile" in body[: body.index("<details")]


def test_the_week_and_the_roll_calls_come_in_the_order_they_happen(client_for, field_staff, project, running, today):
    """By day, then time, then the training's title as a reader sorts it (accents aside)."""
    other = _running_in_charge_of(field_staff, project, today, "Électricité du bâtiment")
    same_time = _session_on(other, today, start=time(0, 0))
    later = _session_on(running, today, start=time(8))
    three_days_ago = _session_on(running, today - timedelta(days=3), start=time(14))
    two_days_ago = _session_on(running, today - timedelta(days=2), start=time(10))
    page = client_for(field_staff).get(HOME)
    week = [session.pk for session in page.context["my_sessions"] if session.date == today]
    assert week == [same_time.pk, running.sessions.get(topic="Freinage").pk, later.pk]
    assert [session.pk for session in page.context["roll_calls_missing"]] == [three_days_ago.pk, two_days_ago.pk]


def test_someone_in_charge_of_nothing_sees_the_project_week(client_for, me_officer, running):
    body = text(client_for(me_officer).get(HOME))
    assert "Séances de mes projets cette semaine" in body and "Maintenance automobile" in body
    assert "<details" not in body


def test_nothing_of_another_project_reaches_a_home(client_for, outsider, field_staff, running, other_project, today):
    body = text(client_for(outsider).get(HOME))
    assert "Maintenance automobile" not in body and "Diallo" not in body
    # Still in charge on paper after leaving the project: the training leaves their home with it.
    field_staff.memberships.all().delete()
    body = text(client_for(field_staff).get(HOME))
    assert "Maintenance automobile" not in body


def test_a_training_in_charge_outside_my_projects_asks_nothing_of_me(
    client_for, field_staff, running, other_project, today
):
    elsewhere = TrainingFactory(
        project=other_project, title="Soudure", start_date=today - timedelta(days=21), end_date=today
    )
    elsewhere.officers.add(field_staff)  # named in charge there, but not a member of its project
    person = make_beneficiary(other_project, field_staff, last_name="Camara")
    Enrollment.objects.create(
        training=elsewhere, beneficiary=person, status=Enrollment.Status.ENROLLED, created_by=field_staff
    )
    _session_on(elsewhere, today - timedelta(days=1))
    _session_on(elsewhere, today)
    body = text(client_for(field_staff).get(HOME))
    assert "Maintenance automobile" in body
    assert "Soudure" not in body and "pas encore d’appel" not in body
    assert "Camara" not in body  # registered by them, but in a project they are not a member of


@pytest.mark.parametrize("persona", ["anonymous", "donor"])
def test_visitors_and_donors_keep_the_public_home(client_for, personas, running, persona):
    body = text(client_for(personas[persona]).get(HOME))
    assert "Projets" in body and "Mon travail" not in body and "Maintenance automobile" not in body


def test_a_past_session_without_attendance_is_flagged_until_taken(client_for, field_staff, running, today):
    yesterday = _session_on(running, today - timedelta(days=1))
    client = client_for(field_staff)
    body = text(client.get(HOME))
    assert "1 séance passée n’a pas encore d’appel" in body and f'href="{yesterday.get_absolute_url()}"' in body
    record_attendance(session=yesterday, marks={running.enrollments.get().pk: "absent"}, by=field_staff)
    assert "pas encore d’appel" not in text(client.get(HOME))


@pytest.fixture
def finished(project, field_staff, today):
    """Three people who finished trainings 3, 5 and 30 months ago."""
    people = {}
    for months, name in ((3, "Traoré"), (5, "Koné"), (30, "Sylla")):
        finished_on = add_months(today, -months)
        training = TrainingFactory(
            project=project,
            start_date=finished_on - timedelta(days=30),
            end_date=finished_on,
            title=f"Formation {name}",
        )
        person = make_beneficiary(project, field_staff, last_name=name, first_name="Aminata")
        Enrollment.objects.create(
            training=training,
            beneficiary=person,
            status=Enrollment.Status.COMPLETED,
            completed_on=finished_on,
            created_by=field_staff,
        )
        people[name] = person
    return people


def test_follow_ups_due_and_late_are_listed_until_recorded(client_for, field_staff, finished, today):
    client = client_for(field_staff)
    body = text(client.get(HOME))
    section = body[body.index("Suivis à faire") : body.index("Mes dernières inscriptions")]
    assert "Aminata Traoré" in section  # due today, 3 months on
    assert "Aminata Koné" in section and "en retard" in section  # two months late
    assert "Sylla" not in section  # 30 months on: missed long ago, not a task any longer
    enrollment = finished["Traoré"].enrollments.get()
    link = reverse("trainings:follow-up-create", args=[enrollment.training_id, enrollment.pk]) + "?months=3"
    assert f'href="{link}"' in section
    form = client.get(link)
    assert form.context["form"]["months_after"].value() == 3
    record_follow_up(
        enrollment=enrollment,
        data={"months_after": 3, "date": today, "employment_status": "unemployed", "income_band": "none"},
        by=field_staff,
    )
    body = text(client.get(HOME))
    assert "Aminata Traoré" not in body[body.index("Suivis à faire") : body.index("Mes dernières inscriptions")]


def test_the_follow_ups_kept_for_a_page_follow_its_reader_and_language(client_for, field_staff, me_officer, finished):
    """The follow-ups' part of the page is drawn once and kept: never another reader's, and in the
    language of each request."""
    client = client_for(field_staff)
    assert "Suivis à faire" in text(client.get(HOME))
    english = text(client.get("/en/"))
    assert "Follow-ups to make" in english and "Suivis à faire" not in english
    assert "Aminata Traoré" in english
    other = text(client_for(me_officer).get(HOME))
    assert "Suivis à faire" in other  # the M&E officer reads the project's own list, drawn for them


def test_a_withdrawn_person_is_not_chased(client_for, field_staff, finished):
    beneficiary_withdraw(beneficiary=finished["Traoré"], reason="other", by=field_staff)
    body = text(client_for(field_staff).get(HOME))
    assert "Traoré" not in body[body.index("Suivis à faire") : body.index("Mes dernières inscriptions")]


@pytest.mark.parametrize("months", ["6", "12"])
def test_the_follow_up_form_takes_the_due_milestone_and_ignores_anything_else(
    client_for, field_staff, finished, months
):
    enrollment = finished["Koné"].enrollments.get()
    url = reverse("trainings:follow-up-create", args=[enrollment.training_id, enrollment.pk])
    client = client_for(field_staff)
    assert client.get(url, {"months": months}).context["form"]["months_after"].value() == int(months)
    for nonsense in ("7", "-3", "abc", "3' OR 1=1"):
        assert client.get(url, {"months": nonsense}).context["form"]["months_after"].value() is None


def test_likely_duplicates_across_projects_wait_for_the_me_officer(
    client_for, me_officer, field_staff, project, other_project
):
    mine = make_beneficiary(project, field_staff, last_name="Camara")
    theirs = make_beneficiary(other_project, field_staff, last_name="Camara")
    CrossProjectMatch.objects.create(beneficiary=mine, other=theirs, score=90, reasons="name")
    body = text(client_for(me_officer).get(HOME))
    assert "1 doublon probable entre projets" in body
    assert "1 doublon probable" not in text(client_for(field_staff).get(HOME))  # not their review


def test_the_duplicates_waiting_follow_the_projects_one_joins(client_for, me_officer, field_staff, other_project):
    third = ProjectFactory(code="ZZ.0001", is_public=False)
    theirs = make_beneficiary(other_project, field_staff, last_name="Camara")
    CrossProjectMatch.objects.create(
        beneficiary=make_beneficiary(third, field_staff, last_name="Camara"), other=theirs, score=90, reasons="name"
    )
    client = client_for(me_officer)
    assert "doublon probable" not in text(client.get(HOME))  # neither person is in their projects
    Membership.objects.create(user=me_officer, project=third)
    assert "1 doublon probable entre projets" in text(client.get(HOME))


def test_what_a_home_keeps_is_never_read_by_someone_of_other_projects(client_for, me_officer, field_staff, project):
    """Two M&E officers of different projects, one after the other, under the same data version: the
    second never reads what was kept for the first (their count, their people)."""
    elsewhere = ProjectFactory(code="ZZ.0001", is_public=False)
    officer_elsewhere = UserFactory(username="me-elsewhere", role=Role.ME_OFFICER, projects=[elsewhere])
    CrossProjectMatch.objects.create(
        beneficiary=make_beneficiary(project, field_staff, last_name="Camara"),
        other=make_beneficiary(ProjectFactory(code="YY.0001", is_public=False), field_staff, last_name="Camara"),
        score=90,
        reasons="name",
    )
    assert "1 doublon probable entre projets" in text(client_for(me_officer).get(HOME))
    assert "doublon probable" not in text(client_for(officer_elsewhere).get(HOME))


def test_my_latest_registrations_and_the_list_of_everyone_i_registered(client_for, field_staff, me_officer, project):
    make_beneficiary(project, field_staff, last_name="Bamba", first_name="Issa")
    make_beneficiary(project, me_officer, last_name="Cissé", first_name="Mariam")
    client = client_for(field_staff)
    body = text(client.get(HOME))
    section = body[body.index("Mes dernières inscriptions") :]
    assert "Issa Bamba" in section and "Cissé" not in section
    listed = text(client.get(reverse("beneficiaries:beneficiary-list"), {"registered_by": "me"}))
    assert "BAMBA" in listed and "CISSÉ" not in listed
    # An unknown value is refused by the filter, with its message, and shows nobody.
    refused = client.get(reverse("beneficiaries:beneficiary-list"), {"registered_by": "someone"})
    assert refused.status_code == 200 and "BAMBA" not in text(refused) and "CISSÉ" not in text(refused)


def test_an_import_left_at_its_preview_can_be_resumed_from_home(client_for, me_officer, project):
    LocationFactory(name="Rabat")
    client = client_for(me_officer)
    url = reverse("beneficiaries:beneficiary-import")
    job = client.post(url, {"project": project.pk, "file": SimpleUploadedFile("groupe.csv", ONE_PERSON_CSV)}).url
    body = text(client.get(HOME))
    assert "Import de groupe.csv, prévisualisé et non validé" in body
    assert f'href="{job}"' in client.get(HOME).content.decode()
    resumed = client.get(job)
    assert "1 personne à importer" in text(resumed)
    assert not Beneficiary.objects.exists()
    client.post(job, {}, follow=True)
    assert Beneficiary.objects.filter(last_name="Sow").exists()
    assert "groupe.csv" not in text(client.get(HOME))


def test_an_import_that_is_not_mine_is_not_on_my_home_and_is_a_404(client_for, me_officer, project):
    LocationFactory(name="Rabat")
    owner = client_for(me_officer)
    url = reverse("beneficiaries:beneficiary-import")
    job = owner.post(url, {"project": project.pk, "file": SimpleUploadedFile("groupe.csv", ONE_PERSON_CSV)}).url
    # Another M&E officer of the same project.
    intruder = client_for(UserFactory(username="me2", role=Role.ME_OFFICER, projects=[project]))
    assert "groupe.csv" not in text(intruder.get(HOME))
    assert intruder.get(job).status_code == 404
    assert ImportJob.objects.exclude(file="").count() == 1  # the owner's file is still there, untouched


def test_the_home_reads_the_same_queries_whatever_the_week_holds(client_for, field_staff, running, today):
    client = client_for(field_staff)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for days in range(1, 6):
        _session_on(running, today - timedelta(days=days))
        other = TrainingFactory(
            project=running.project, start_date=today - timedelta(days=3), end_date=today + timedelta(days=3)
        )
        _session_on(other, today)
    client.get(HOME)  # the counts kept per data version are counted again once, as before "few"
    with CaptureQueriesContext(connection) as many:
        client.get(HOME)
    assert len(many) == len(few)


def test_a_reviewed_duplicate_leaves_the_home_page_at_once(client_for, me_officer, field_staff, project, other_project):
    from beneficiaries.services import cross_project_matches_review

    mine = make_beneficiary(project, field_staff, last_name="Camara")
    theirs = make_beneficiary(other_project, field_staff, last_name="Camara")
    CrossProjectMatch.objects.create(beneficiary=mine, other=theirs, score=90, reasons="name")
    client = client_for(me_officer)
    assert "1 doublon probable entre projets" in text(client.get(HOME))  # counted, and kept in the cache
    cross_project_matches_review(matches=CrossProjectMatch.objects.all(), by=me_officer)
    assert "doublon probable" not in text(client.get(HOME))
