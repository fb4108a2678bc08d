"""The staff pages of trainings, through the test client: what they show, what their forms write, and
what they refuse (with a message in French, the default language)."""

import dataclasses
import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries import panels
from beneficiaries.models import AccessLog
from beneficiaries.panels import register_person_panel
from beneficiaries.services import beneficiary_withdraw
from trainings.models import Attendance, BusinessSupport, Enrollment, FollowUp, Session, Training
from trainings.services import complete, enroll, record_attendance

from ..factories import OrganizationFactory, TrainingFactory, add_sessions, make_beneficiary
from ..pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ongoing(project):
    today = timezone.localdate()
    return TrainingFactory(
        project=project, capacity=2, start_date=today - timedelta(days=7), end_date=today + timedelta(days=21)
    )


def test_the_list_filters_by_kind_city_status_and_dates(client_for, field_staff, project, ongoing):
    TrainingFactory(project=project, title="Gestion d'entreprise", kind=Training.Kind.MICRO_ENTERPRISE)
    TrainingFactory(title="Formation d'un autre projet")
    client = client_for(field_staff)
    page = text(client.get(reverse("trainings:training-list")))
    assert ongoing.title in page and "Gestion d'entreprise" in page
    assert "autre projet" not in page
    kind = text(client.get(reverse("trainings:training-list"), {"kind": "micro_enterprise"}))
    assert "Gestion d'entreprise" in kind and ongoing.title not in kind
    running = text(client.get(reverse("trainings:training-list"), {"status": "ongoing"}))
    assert ongoing.title in running and "Gestion d'entreprise" not in running
    later = (timezone.localdate() - timedelta(days=10)).isoformat()
    dated = text(client.get(reverse("trainings:training-list"), {"starts_after": later}))
    assert "1 formation" in dated


@pytest.mark.parametrize("params", [{"status": "someday"}, {"starts_after": "31/02/2024"}, {"city": "abc"}])
def test_bad_list_parameters_get_a_message_not_an_error(client_for, field_staff, ongoing, params):
    response = client_for(field_staff).get(reverse("trainings:training-list"), params)
    assert response.status_code == 200
    assert "invalid-feedback" in text(response) or "Sélectionnez un choix valide" in text(response)


def test_the_detail_shows_the_roster_with_rates_and_the_waitlist(client_for, field_staff, project, ongoing):
    first, second, third = (make_beneficiary(project, field_staff, first_name=n) for n in ("Awa", "Binta", "Coumba"))
    enroll(training=ongoing, beneficiaries=[first, second, third], by=field_staff)
    session_one, _session_two = add_sessions(ongoing, 2)
    rows = Enrollment.objects.filter(status="enrolled").order_by("beneficiary__first_name")
    record_attendance(session=session_one, marks={rows[0].pk: "present", rows[1].pk: "absent"}, by=field_staff)
    page = text(client_for(field_staff).get(ongoing.get_absolute_url()))
    assert "2 sur 2 places prises" in page
    assert "1 en attente" in page
    assert "100\xa0%" in page and "0\xa0%" in page  # over the one session taken so far
    assert "Coumba" in page.split("Liste d'attente")[1]


def test_the_enroll_page_finds_people_and_enrolls_several_at_once(client_for, field_staff, project, ongoing):
    awa = make_beneficiary(project, field_staff, first_name="Awa", last_name="Traoré")
    binta = make_beneficiary(project, field_staff, first_name="Binta", last_name="Traoré")
    withdrawn = make_beneficiary(project, field_staff, first_name="Coumba", last_name="Traoré")
    beneficiary_withdraw(beneficiary=withdrawn, by=field_staff)
    client = client_for(field_staff)
    url = reverse("trainings:training-enroll", kwargs={"pk": ongoing.pk})
    found = client.get(url, {"q": "traore"})
    lines = {line.person.first_name: line.reason for line in found.context["results"]}
    assert lines == {"Awa": "", "Binta": "", "Coumba": "Retiré·e du projet"}  # a reason, not left out
    assert f'value="{withdrawn.pk}" id="person-{withdrawn.pk}" disabled' in text(found)
    response = client.post(url, {"q": "traore", "beneficiaries": [awa.pk, binta.pk], "enroll": "1"}, follow=True)
    assert "2 personnes inscrites." in text(response)
    assert set(Enrollment.objects.values_list("beneficiary_id", "status")) == {
        (awa.pk, "enrolled"),
        (binta.pk, "enrolled"),
    }


def test_the_enroll_page_refuses_people_it_could_not_offer(client_for, field_staff, outsider, project, ongoing):
    client = client_for(field_staff)
    url = reverse("trainings:training-enroll", kwargs={"pk": ongoing.pk})
    withdrawn = make_beneficiary(project, field_staff)
    beneficiary_withdraw(beneficiary=withdrawn, by=field_staff)
    stranger = make_beneficiary(ongoing.project.__class__.objects.get(code="XX.0001"), outsider, first_name="Autre")
    cannot = "Une personne cochée ne peut plus être inscrite"
    for pk in (withdrawn.pk, stranger.pk, "abc", "-1", "1e3"):
        response = client.post(url, {"beneficiaries": [pk], "enroll": "1"})
        assert response.status_code == 200
        assert cannot in text(response)
        assert "Autre" not in text(response)  # someone of another project is never shown, even when posted
    response = client.post(url, {"enroll": "1"})
    assert "Cochez au moins une personne" in text(response)
    assert not Enrollment.objects.exists()


def test_a_full_training_waitlists_and_says_so(client_for, field_staff, project, ongoing):
    people = [make_beneficiary(project, field_staff, first_name=f"P{n}") for n in "abc"]
    response = client_for(field_staff).post(
        reverse("trainings:training-enroll", kwargs={"pk": ongoing.pk}),
        {"beneficiaries": [p.pk for p in people], "enroll": "1"},
        follow=True,
    )
    page = text(response)
    assert "2 personnes inscrites." in page
    assert "La formation est complète : 1 personne est en liste d'attente." in page


def test_dropping_out_from_the_page_promotes_the_next_person(client_for, field_staff, project, ongoing):
    people = [make_beneficiary(project, field_staff, first_name=f"P{n}") for n in "abc"]
    first, _second, third = enroll(training=ongoing, beneficiaries=people, by=field_staff)
    url = reverse("trainings:enrollment-drop", kwargs={"training_pk": ongoing.pk, "pk": first.pk})
    response = client_for(field_staff).post(url, {"reason": "A trouvé un emploi"}, follow=True)
    page = text(response)
    assert f"{third.beneficiary.reference} quitte la liste d'attente et est maintenant inscrit·e." in page
    third.refresh_from_db()
    assert third.status == "enrolled"


def _attendance_url(session):
    return reverse("trainings:session-attendance", kwargs={"training_pk": session.training_id, "pk": session.pk})


def test_the_attendance_sheet_saves_a_whole_session_in_one_post(client_for, field_staff, project, ongoing):
    a, b = enroll(
        training=ongoing,
        beneficiaries=[make_beneficiary(project, field_staff, first_name=n) for n in "AB"],
        by=field_staff,
    )
    (session,) = add_sessions(ongoing, 1)
    client = client_for(field_staff)
    sheet = text(client.get(_attendance_url(session)))
    assert sheet.count('type="radio"') == 6
    assert f'name="mark_{a.pk}" value="present"' in sheet
    response = client.post(
        _attendance_url(session), {f"mark_{a.pk}": "present", f"mark_{b.pk}": "excused"}, follow=True
    )
    assert "Présence enregistrée pour 2 personnes." in text(response)
    assert dict(Attendance.objects.values_list("enrollment_id", "status")) == {a.pk: "present", b.pk: "excused"}


def test_an_attendance_sheet_with_a_missing_or_bad_mark_saves_nothing(client_for, field_staff, project, ongoing):
    a, b = enroll(
        training=ongoing,
        beneficiaries=[make_beneficiary(project, field_staff, first_name=n) for n in "AB"],
        by=field_staff,
    )
    (session,) = add_sessions(ongoing, 1)
    client = client_for(field_staff)
    for data in ({f"mark_{a.pk}": "present"}, {f"mark_{a.pk}": "present", f"mark_{b.pk}": "late"}):
        response = client.post(_attendance_url(session), data)
        assert response.status_code == 200
        assert "Rien n'a été enregistré" in text(response)
    assert not Attendance.objects.exists()


def test_each_line_of_an_attendance_sheet_keeps_its_own_mark_and_its_own_error(
    client_for, field_staff, project, ongoing
):
    """The sheet's lines share one made field (copied per line): a mark or an error stays on its line."""
    ongoing.capacity = 3
    ongoing.save()
    a, b, c = enroll(
        training=ongoing,
        beneficiaries=[make_beneficiary(project, field_staff, first_name=n) for n in "ABC"],
        by=field_staff,
    )
    (session,) = add_sessions(ongoing, 1)
    record_attendance(session=session, marks={a.pk: "absent", b.pk: "excused", c.pk: "present"}, by=field_staff)
    client = client_for(field_staff)
    sheet = client.get(_attendance_url(session)).content.decode()
    checked = re.findall(r'name="mark_(\d+)" value="(\w+)" id="[^"]+" checked', sheet)
    assert sorted(checked) == sorted([(str(a.pk), "absent"), (str(b.pk), "excused"), (str(c.pk), "present")])
    refused = client.post(
        _attendance_url(session), {f"mark_{a.pk}": "late", f"mark_{b.pk}": "present", f"mark_{c.pk}": "absent"}
    ).content.decode()
    assert f'id="err-{a.pk}"' in refused
    assert f'id="err-{b.pk}"' not in refused and f'id="err-{c.pk}"' not in refused
    assert dict(Attendance.objects.values_list("enrollment_id", "status")) == {
        a.pk: "absent",
        b.pk: "excused",
        c.pk: "present",
    }


def test_a_session_of_another_training_is_not_found(client_for, field_staff, project, ongoing):
    other = TrainingFactory(project=project)
    (session,) = add_sessions(other, 1)
    url = reverse("trainings:session-attendance", kwargs={"training_pk": ongoing.pk, "pk": session.pk})
    assert client_for(field_staff).get(url).status_code == 404


@pytest.mark.parametrize("size", [5, 30])
def test_the_attendance_sheet_runs_the_same_queries_whatever_the_roster(client_for, field_staff, project, size):
    today = timezone.localdate()
    start = today - timedelta(days=1)  # its first session has begun
    training = TrainingFactory(project=project, capacity=size, start_date=start, end_date=today + timedelta(days=9))
    enrollments = enroll(
        training=training,
        beneficiaries=[make_beneficiary(project, field_staff, first_name=f"P{n}") for n in range(size)],
        by=field_staff,
    )
    (session,) = add_sessions(training, 1)
    client = client_for(field_staff)
    marks = {f"mark_{e.pk}": "present" for e in enrollments}
    with CaptureQueriesContext(connection) as page:
        client.get(_attendance_url(session))
    with CaptureQueriesContext(connection) as save:
        client.post(_attendance_url(session), marks)
    assert Attendance.objects.count() == size
    # Pinned: the same at 5 and at 30 people (session, user and permissions, roster with its marks, upsert).
    assert (len(page), len(save)) == (
        PINNED_QUERIES[connection.vendor]["page"],
        PINNED_QUERIES[connection.vendor]["save"],
    )


# The session is not written by reading or saving a sheet (it is renewed at most once a minute).
PINNED_QUERIES = {"sqlite": {"page": 7, "save": 11}, "postgresql": {"page": 7, "save": 11}}


def test_a_session_outside_the_training_is_refused_by_the_form(client_for, field_staff, ongoing):
    url = reverse("trainings:session-create", kwargs={"training_pk": ongoing.pk})
    late = ongoing.end_date + timedelta(days=1)
    response = client_for(field_staff).post(
        url, {"date": late.isoformat(), "start_time": "09:00", "duration_minutes": 180}
    )
    assert response.status_code == 200
    assert "Une séance doit avoir lieu pendant la formation" in text(response)
    assert not Session.objects.exists()


def test_a_training_ending_before_it_starts_is_refused(client_for, me_officer, project):
    provider = OrganizationFactory()
    data = {
        "project": project.pk,
        "kind": "vocational",
        "title": "Soudure",
        "trade": "Soudure",
        "provider": provider.pk,
        "city": TrainingFactory.build().city.pk,
        "start_date": "2025-03-10",
        "end_date": "2025-03-01",
        "capacity": "0",
        "hours": "40",
        "pass_threshold": "120",
    }
    response = client_for(me_officer).post(reverse("trainings:training-create"), data)
    page = text(response)
    assert "La date de fin ne peut pas précéder la date de début." in page
    assert "supérieure ou égale à 1" in page and "inférieure ou égale à 100" in page
    assert not Training.objects.exists()
    data.update(end_date="2025-04-30", capacity="15", pass_threshold="80")
    response = client_for(me_officer).post(reverse("trainings:training-create"), data)
    assert response.status_code == 302 and Training.objects.get().title == "Soudure"


def _finished(project, by, presences):
    today = timezone.localdate()
    training = TrainingFactory(
        project=project, capacity=10, start_date=today - timedelta(days=4), end_date=today + timedelta(days=1)
    )
    people = [make_beneficiary(project, by, first_name=f"P{n}") for n in range(len(presences))]
    enrollments = enroll(training=training, beneficiaries=people, by=by)
    for n, session in enumerate(add_sessions(training, 4)):
        record_attendance(
            session=session,
            marks={
                e.pk: ("present" if n < present else "absent")
                for e, present in zip(enrollments, presences, strict=True)
            },
            by=by,
        )
    Training.objects.filter(pk=training.pk).update(end_date=today - timedelta(days=1))
    training.refresh_from_db()
    return training, enrollments


def test_completing_from_the_page_certifies_and_prints_certificates(client_for, field_staff, project):
    training, (passed, failed) = _finished(project, field_staff, [4, 2])
    client = client_for(field_staff)
    url = reverse("trainings:training-complete", kwargs={"pk": training.pk})
    preview = text(client.get(url))
    assert "1 personne sera certifiée" in preview
    response = client.post(url, follow=True)
    assert "Formation clôturée : 1 certifié·e(s), 1 sans attestation." in text(response)
    passed.refresh_from_db()
    certificate_url = reverse("trainings:enrollment-certificate", kwargs={"training_pk": training.pk, "pk": passed.pk})
    certificate = text(client.get(certificate_url))
    assert "Attestation de fin de formation" in certificate and passed.certificate_number in certificate
    assert AccessLog.objects.filter(reference=passed.beneficiary.reference, detail="certificate").exists()
    english = text(client.get("/en" + certificate_url))
    assert "Certificate of completion" in english
    refused = client.get(
        reverse("trainings:enrollment-certificate", kwargs={"training_pk": training.pk, "pk": failed.pk})
    )
    assert refused.status_code == 302


def test_a_follow_up_from_the_person_page(client_for, field_staff, project):
    training, (enrollment,) = _finished(project, field_staff, [4])
    complete(training=training, by=field_staff)
    client = client_for(field_staff)
    person_page = text(client.get(enrollment.beneficiary.get_absolute_url()))
    follow_up_url = reverse("trainings:follow-up-create", kwargs={"training_pk": training.pk, "pk": enrollment.pk})
    assert follow_up_url in person_page
    data = {
        "months_after": "3",
        "employment_status": "self_employed",
        "income_band": "1000-2999",
        "employer_or_sector": "Couture",
    }
    too_early = client.post(follow_up_url, {**data, "date": training.end_date.isoformat()})
    assert "Un suivi vient après la formation" in text(too_early)
    assert not FollowUp.objects.exists()
    done = client.post(follow_up_url, {**data, "date": timezone.localdate().isoformat()}, follow=True)
    assert "Suivi enregistré." in text(done)
    assert "Travail indépendant" in text(done)


def test_business_support_from_the_person_page(client_for, field_staff, project):
    person = make_beneficiary(project, field_staff)
    url = reverse("trainings:business-support", kwargs={"reference": person.reference})
    data = {
        "business_sector": "Restauration",
        "support_kind": "grant",
        "business_status": "started",
        "coaching_sessions": "3",
    }
    refused = text(client_for(field_staff).post(url, data))
    assert "Indiquez la valeur du kit ou de la subvention" in refused
    assert "Indiquez la date de début de l'activité." in refused
    assert not BusinessSupport.objects.exists()
    today = timezone.localdate().isoformat()
    saved = client_for(field_staff).post(
        url, {**data, "support_amount": "12000", "business_started_on": today}, follow=True
    )
    assert "Appui à l'entreprise enregistré." in text(saved)
    assert BusinessSupport.objects.get().support_amount == 12000


def test_a_rate_reads_as_a_dash_until_there_is_a_session_to_judge_by(client_for, field_staff, project, ongoing):
    """Before any attendance is taken, and for someone excused from every session held, there is no
    rate: the roster says "—", not a red 0 %, and the completion preview says why."""
    awa, binta = (make_beneficiary(project, field_staff, first_name=n) for n in ("Awa", "Binta"))
    enroll(training=ongoing, beneficiaries=[awa, binta], by=field_staff)
    client = client_for(field_staff)
    page = client.get(ongoing.get_absolute_url()).content.decode()
    assert "0,0\xa0%" not in page and page.count("—</span>") == 2

    [session] = add_sessions(ongoing, 1)
    rows = {e.beneficiary.first_name: e for e in Enrollment.objects.filter(training=ongoing)}
    record_attendance(session=session, marks={rows["Awa"].pk: "present", rows["Binta"].pk: "excused"}, by=field_staff)
    roster = {
        line.enrollment.beneficiary.first_name: line
        for line in client.get(ongoing.get_absolute_url()).context["roster"]
    }
    assert roster["Awa"].rate == 100 and roster["Binta"].rate is None and not roster["Binta"].earns_certificate
    Training.objects.filter(pk=ongoing.pk).update(end_date=timezone.localdate() - timedelta(days=1))  # ended
    preview = text(client.get(reverse("trainings:training-complete", kwargs={"pk": ongoing.pk})))
    assert "Sans certificat : absence excusée à chaque séance" in preview


def test_attendance_of_a_session_still_to_come_is_refused_and_nothing_saved(client_for, field_staff, project, ongoing):
    [person] = enroll(training=ongoing, beneficiaries=[make_beneficiary(project, field_staff)], by=field_staff)
    tomorrow = Session.objects.create(
        training=ongoing, date=timezone.localdate() + timedelta(days=1), start_time=time(9)
    )
    client = client_for(field_staff)
    page = text(client.get(_attendance_url(tomorrow)))
    assert "take its attendance once it has begun" not in page  # French, the default language
    assert "prenez sa présence une fois qu'elle a commencé" in page and "disabled" in page
    response = client.post(_attendance_url(tomorrow), {f"mark_{person.pk}": "present"})
    assert response.status_code == 200 and "prenez sa présence une fois qu'elle a commencé" in text(response)
    assert not Attendance.objects.exists()


def test_pages_that_act_on_a_person_name_them_beside_their_reference(client_for, field_staff, project, ongoing):
    person = make_beneficiary(project, field_staff, first_name="Mariama", last_name="Ba")
    [enrollment] = enroll(training=ongoing, beneficiaries=[person], by=field_staff)
    client = client_for(field_staff)
    drop = text(
        client.get(reverse("trainings:enrollment-drop", kwargs={"training_pk": ongoing.pk, "pk": enrollment.pk}))
    )
    assert f"Abandon de {person.reference} · Mariama Ba" in drop
    support = text(client.get(reverse("trainings:business-support", args=[person.reference])))
    assert f"Appui à l'entreprise de {person.reference} · Mariama Ba" in support


def test_officers_in_charge_are_chosen_among_the_project_staff(
    client_for, me_officer, field_staff, donor, outsider, project
):
    client = client_for(me_officer)
    form = client.get(reverse("trainings:training-create")).context["form"]
    offered = set(form.fields["officers"].queryset)
    assert offered == {me_officer, field_staff}  # not the donor, not someone of another project
    assert form.fields["officers"].initial == [me_officer]  # whoever creates it runs it, until changed
    data = {
        "project": project.pk,
        "kind": "vocational",
        "title": "Soudure",
        "trade": "Soudure",
        "provider": OrganizationFactory().pk,
        "city": TrainingFactory.build().city.pk,
        "start_date": "2025-03-10",
        "end_date": "2025-04-30",
        "capacity": "15",
        "hours": "40",
        "pass_threshold": "80",
        "officers": [outsider.pk],
    }
    refused = client.post(reverse("trainings:training-create"), data)
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in text(refused)
    assert not Training.objects.exists()
    data["officers"] = [field_staff.pk]
    assert client.post(reverse("trainings:training-create"), data).status_code == 302
    assert list(Training.objects.get().officers.all()) == [field_staff]


def test_the_admin_refuses_an_officer_who_does_not_work_on_the_project(admin_client, field_staff, outsider, project):
    from ..pages import posted_form

    training = TrainingFactory(project=project)
    url = reverse("admin:trainings_training_change", args=[training.pk])
    data = posted_form(admin_client.get(url).content.decode(), containing="title")
    data["officers"] = [str(outsider.pk)]
    response = admin_client.post(url, data)
    refusal = f"{outsider.get_full_name()} ne travaille pas sur ce projet."
    assert response.status_code == 200 and refusal in text(response)
    assert not training.officers.exists()
    data["officers"] = [str(field_staff.pk)]
    assert admin_client.post(url, data).status_code == 302
    assert list(training.officers.all()) == [field_staff]


def test_the_list_puts_running_trainings_first_then_the_next_then_the_latest_ended(client_for, field_staff, project):
    today = timezone.localdate()
    days = timedelta(days=1)

    def make(title, start, end):
        return TrainingFactory(
            project=project, title=title, start_date=today + start * days, end_date=today + end * days
        )

    make("Ended long ago", -200, -150)
    make("Ended lately", -60, -10)
    make("Starts later", 40, 80)
    make("Starts soon", 5, 40)
    make("Zinguerie", -30, 20)  # running: the longest running first
    make("électricité", -10, 20)  # started the same day: titles sort without regard to accents or case
    make("École du bâtiment", -10, 20)
    make("couture", -10, 20)
    page = text(client_for(field_staff).get(reverse("trainings:training-list")))
    order = ["Zinguerie", "couture", "École du bâtiment", "électricité", "Starts soon", "Starts later"]
    order += ["Ended lately", "Ended long ago"]
    positions = [page.index(f">{title}<") for title in order]
    assert positions == sorted(positions)


def test_the_navigation_says_where_the_reader_is(client_for, field_staff):
    page = text(client_for(field_staff).get(reverse("trainings:training-list")))
    current = page[page.index('aria-current="page"') - 200 : page.index('aria-current="page"') + 200]
    assert page.count('aria-current="page"') == 1 + page.count('breadcrumb-item active" aria-current="page"')
    assert "Formations" in current


def test_a_persons_trainings_come_latest_first(client_for, field_staff, project):
    person = make_beneficiary(project, field_staff)
    today = timezone.localdate()
    trainings = [
        TrainingFactory(project=project, start_date=today - timedelta(days=days), end_date=today + timedelta(days=9))
        for days in (30, 2, 60)
    ]
    enroll(training=trainings[0], beneficiaries=[person], by=field_staff)
    enroll(training=trainings[1], beneficiaries=[person], by=field_staff)
    enroll(training=trainings[2], beneficiaries=[person], by=field_staff)
    page = client_for(field_staff).get(person.get_absolute_url())
    (panel,) = page.context["panels"]
    shown = [enrollment.training_id for enrollment in panel.context["enrollments"]]
    assert shown == [trainings[1].pk, trainings[0].pk, trainings[2].pk]


def test_a_persons_page_reads_the_same_queries_whatever_their_trainings(client_for, me_officer, field_staff, project):
    """The trainings panel reads only the columns it shows: a column it shows but did not read
    would cost a query per training, per follow-up or for the business support. Follow-ups are
    read once some training has ended (one query for all), never while all are under way; the
    business support only for someone who has one."""
    person = make_beneficiary(project, field_staff)
    enroll(
        training=TrainingFactory(project=project, end_date=timezone.localdate() + timedelta(days=9)),
        beneficiaries=[person],
        by=field_staff,
    )
    client = client_for(me_officer)
    url = person.get_absolute_url()
    with CaptureQueriesContext(connection) as before:  # one training under way
        client.get(url)
    for months in (3, 6, 12):
        training = TrainingFactory(project=project)  # ended last month
        enrollment = Enrollment.objects.create(
            training=training,
            beneficiary=person,
            status=Enrollment.Status.COMPLETED,
            completed_on=training.end_date,
            attendance_rate=90,
            created_by=field_staff,
        )
        FollowUp.objects.create(
            enrollment=enrollment,
            months_after=months,
            date=timezone.localdate(),
            employment_status="employed",
            employer_or_sector="Couture",
            income_band="none",
            recorded_by=field_staff,
        )
    BusinessSupport.objects.create(
        beneficiary=person,
        business_sector="Couture",
        support_kind=BusinessSupport.Kind.GRANT,
        support_amount=1500,
        business_status=BusinessSupport.BusinessStatus.IDEA,
        recorded_by=field_staff,
    )
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    body = text(page)
    assert body.count("Couture") >= 4 and "1 500,00 MAD" in body  # three follow-ups and the business
    assert len(after) == len(before) + 2  # the follow-ups, and the business support now there is one
    assert not any("trainings_followup" in query["sql"] for query in before.captured_queries)
    # Whether someone has a business support is read with them: none is asked for when they have none.
    support_read = 'SELECT "trainings_businesssupport"'
    assert not any(query["sql"].startswith(support_read) for query in before.captured_queries)
    assert any(query["sql"].startswith(support_read) for query in after.captured_queries)


def test_a_panel_shows_the_pages_person_whatever_its_context_holds(client_for, field_staff, project):
    """A panel's context comes from an upper app: it cannot make the page draw someone else (the
    page's ``beneficiary`` wins over a panel's)."""
    person = make_beneficiary(project, field_staff, first_name="Awa")
    someone_else = make_beneficiary(project, field_staff, first_name="Binta", residence_card_number="Z9")
    trainings_panel = panels._panels["trainings"]
    register_person_panel(
        "trainings",
        dataclasses.replace(
            trainings_panel,
            context=lambda beneficiary: {**trainings_panel.context(beneficiary), "beneficiary": someone_else},
        ),
    )
    try:
        page = client_for(field_staff).get(person.get_absolute_url()).content.decode()
    finally:
        register_person_panel("trainings", trainings_panel)
    assert reverse("trainings:business-support", kwargs={"reference": person.reference}) in page
    assert someone_else.reference not in page
