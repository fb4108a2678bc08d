"""Capacity-building events: creating one, registering people (found before created), attendance,
self-assessment and the figures of capacity built. Bad input writes nothing."""

from collections import Counter
from statistics import mean

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Organization
from workshops.models import AssessmentScore, Participant, Registration, Workshop
from workshops.selectors import capacity_statistics, participant_search
from workshops.services import record_assessments, record_workshop_attendance, register, workshop_save

from ..factories import LocationFactory, OrganizationFactory, WorkshopFactory, make_participant
from ..pages import posted_form, text

pytestmark = pytest.mark.django_db


def _event_data(project, **overrides):
    return {
        "project": project.pk,
        "kind": "consultation",
        "level": "central",
        "title": "Concertation nationale",
        "start_date": "2024-03-12",
        "end_date": "2024-03-13",
        "city": LocationFactory(name="Rabat").pk,
        "venue": "Siège du ministère",
        "organizers": [OrganizationFactory(name="OIM", kind="40").pk],
        "objectives": "Partager les résultats",
        "topics": "Connaître les dispositifs\nOrienter vers la formation\n",
        **overrides,
    }


def test_an_event_is_created_with_its_topics(client_for, field_staff, project):
    response = client_for(field_staff).post(reverse("workshops:workshop-create"), _event_data(project))
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    assert [t.name for t in workshop.assessment_topics.all()] == [
        "Connaître les dispositifs",
        "Orienter vers la formation",
    ]
    assert workshop.organizers.get().name == "OIM"


def test_an_event_ending_before_it_starts_is_refused(client_for, field_staff, project):
    data = _event_data(project, end_date="2024-03-01")
    page = text(client_for(field_staff).post(reverse("workshops:workshop-create"), data))
    assert "La date de fin ne peut pas précéder la date de début." in page
    assert not Workshop.objects.exists()


def test_a_topic_with_scores_cannot_be_removed(project):
    workshop = workshop_save(workshop=WorkshopFactory.build(project=project), topics=["Accueillir"])
    (registration,) = register(workshop=workshop, participants=[make_participant(project)])
    record_assessments(workshop=workshop, scores={(registration.pk, workshop.assessment_topics.get().pk): (2, 3)})
    with pytest.raises(ValidationError, match="Accueillir"):
        workshop_save(workshop=workshop, topics=["Autre chose"])
    assert [t.name for t in workshop.assessment_topics.all()] == ["Accueillir"]


def test_a_known_official_is_found_and_registered_again_not_duplicated(client_for, field_staff, project):
    first = WorkshopFactory(project=project)
    second = WorkshopFactory(project=project)
    known = make_participant(project, first_name="Khadija", last_name="El Amrani")
    register(workshop=first, participants=[known])
    client = client_for(field_staff)
    url = reverse("workshops:participants-add", kwargs={"pk": second.pk})
    found = text(client.get(url, {"q": "el amrani"}))
    assert "EL AMRANI Khadija" in found
    response = client.post(url, {"register": "1", "participants": [known.pk]}, follow=True)
    assert "1 personne inscrite." in text(response)
    assert Participant.objects.count() == 1
    assert set(known.registrations.values_list("workshop_id", flat=True)) == {first.pk, second.pk}


def test_a_new_person_with_a_known_name_is_shown_the_match_first(client_for, field_staff, project):
    workshop = WorkshopFactory(project=project)
    known = make_participant(project, first_name="Mohammed", last_name="Alaoui")
    client = client_for(field_staff)
    url = reverse("workshops:participants-add", kwargs={"pk": workshop.pk})
    data = {
        "create": "1",
        "first_name": "Mohamed",
        "last_name": "ALAOUI",
        "sex": "M",
        "organization": known.organization.pk,
    }
    warned = text(client.post(url, data))
    assert "Une personne de ce nom est déjà connue du projet" in warned
    assert Participant.objects.count() == 1 and not Registration.objects.exists()
    client.post(url, {**data, "confirm_new": "1"})
    assert Participant.objects.count() == 2
    assert Registration.objects.get().participant.first_name == "Mohamed"


def test_attendance_of_an_event_in_one_submit(client_for, field_staff, project):
    workshop = WorkshopFactory(project=project)
    a, b = register(
        workshop=workshop,
        participants=[make_participant(project, first_name=name) for name in ("Nadia", "Omar")],
    )
    url = reverse("workshops:workshop-attendance", kwargs={"pk": workshop.pk})
    response = client_for(field_staff).post(url, {f"mark_{a.pk}": "present", f"mark_{b.pk}": "absent"}, follow=True)
    assert "Présence enregistrée pour 2 personnes." in text(response)
    assert dict(Registration.objects.values_list("pk", "attendance")) == {a.pk: "present", b.pk: "absent"}


def test_attendance_for_someone_not_registered_is_refused(project):
    workshop, other = WorkshopFactory(project=project), WorkshopFactory(project=project)
    (stranger,) = register(workshop=other, participants=[make_participant(project)])
    with pytest.raises(ValidationError, match="inscrites à cet événement"):
        record_workshop_attendance(workshop=workshop, marks={stranger.pk: "present"})
    assert Registration.objects.get().attendance == ""


@pytest.mark.parametrize("score", ["6", "0", "-1", "trois"])
def test_a_score_outside_1_to_5_is_refused_and_nothing_is_saved(client_for, field_staff, project, score):
    workshop = workshop_save(workshop=WorkshopFactory.build(project=project), topics=["Accueillir"])
    a, b = register(workshop=workshop, participants=[make_participant(project, first_name=n) for n in ("Hind", "Said")])
    topic = workshop.assessment_topics.get()
    url = reverse("workshops:workshop-assessment", kwargs={"pk": workshop.pk})
    data = {f"before_{a.pk}_{topic.pk}": "2", f"after_{a.pk}_{topic.pk}": "4", f"before_{b.pk}_{topic.pk}": score}
    response = client_for(field_staff).post(url, data)
    assert response.status_code == 200
    assert "Rien n'a été enregistré" in text(response)
    assert not AssessmentScore.objects.exists()


def test_the_service_refuses_out_of_range_scores_too(project):
    workshop = workshop_save(workshop=WorkshopFactory.build(project=project), topics=["Accueillir"])
    (registration,) = register(workshop=workshop, participants=[make_participant(project)])
    with pytest.raises(ValidationError) as refused:
        record_assessments(workshop=workshop, scores={(registration.pk, workshop.assessment_topics.get().pk): (3, 7)})
    assert refused.value.code == "out_of_range"
    assert not AssessmentScore.objects.exists()


def test_an_organization_type_not_in_the_list_is_refused(client_for, field_staff):
    url = reverse("workshops:organization-create")
    data = {"name": "Agence inventée", "kind": "99", "level": "local"}
    page = text(client_for(field_staff).post(url, data))
    assert "Sélectionnez un choix valide. 99 n’en fait pas partie." in page
    assert not Organization.objects.filter(name="Agence inventée").exists()
    created = client_for(field_staff).post(url, {**data, "kind": "15", "next": "https://evil.example/"})
    assert created.status_code == 302 and created["Location"].startswith("/workshops/organizations/")


def _random_events(project, size, seed):
    """``size`` participants over two events, with attendance and scores, and the expected figures."""
    import random

    rng = random.Random(seed)
    organizations = [
        OrganizationFactory(kind=kind, level=level)
        for kind, level in (("10", "central"), ("10", "local"), ("15", "central"), ("22", "local"))
    ]
    events = [
        workshop_save(workshop=WorkshopFactory.build(project=project), topics=["Accueillir", "Orienter"])
        for _ in range(2)
    ]
    people = [
        make_participant(project, organization=rng.choice(organizations), sex=rng.choice("FM"), first_name=f"P{n}")
        for n in range(size)
    ]
    present, changes = set(), []
    for workshop in events:
        registrations = register(workshop=workshop, participants=rng.sample(people, k=max(1, size * 2 // 3)))
        marks = {r.pk: rng.choice(["present", "present", "absent"]) for r in registrations}
        record_workshop_attendance(workshop=workshop, marks=marks)
        scores = {}
        for registration in registrations:
            if marks[registration.pk] == "present":
                present.add(registration.participant)
                for topic in workshop.assessment_topics.all():
                    before, after = rng.randint(1, 5), rng.randint(1, 5)
                    scores[(registration.pk, topic.pk)] = (before, after)
                    changes.append(after - before)
        record_assessments(workshop=workshop, scores=scores)
    return events, present, changes


@pytest.mark.parametrize("size", [6, 60])
def test_capacity_figures_are_right_and_take_two_queries(project, size):
    events, present, changes = _random_events(project, size, seed=size)
    with CaptureQueriesContext(connection) as queries:
        stats = capacity_statistics(Workshop.objects.filter(pk__in=[e.pk for e in events]))
    assert len(queries) == 2
    assert stats.participants == len(present)
    assert stats.by_organization_type == dict(sorted(Counter(p.organization.kind for p in present).items()))
    assert stats.by_level == dict(Counter(p.organization.level for p in present))
    assert stats.by_sex == dict(sorted(Counter(p.sex for p in present).items()))
    assert stats.assessed == len(changes)
    assert float(stats.average_change) == pytest.approx(mean(changes), abs=0.05)


def test_participants_are_never_on_public_or_donor_pages(client_for, donor, project):
    workshop = WorkshopFactory(project=project)
    register(workshop=workshop, participants=[make_participant(project, first_name="Loubna", last_name="Skalli")])
    for user in (None, donor):
        client = client_for(user)
        for url in (reverse("reports:project-detail", kwargs={"code": project.code}), reverse("home")):
            assert "Skalli" not in text(client.get(url))
    assert client_for(donor).get(workshop.get_absolute_url()).status_code == 403


def test_the_participant_search_matches_whole_names_in_any_spelling(project):
    workshop = WorkshopFactory(project=project)
    mohammed = make_participant(project, first_name="Mohammed", last_name="Chraïbi")
    loubna = make_participant(project, first_name="Loubna", last_name="Bennani")
    assert list(participant_search(workshop=workshop, search="mohamed chraibi")) == [mohammed]
    assert list(participant_search(workshop=workshop, search="bennani")) == [loubna]
    assert list(participant_search(workshop=workshop, search="benn")) == [loubna]
    assert list(participant_search(workshop=workshop, search="loubna fassi")) == []


def test_the_admin_cannot_remove_a_scored_topic_either(project, admin_user, client):
    """The rule of workshop_save holds in the database: a topic with scores is protected, so the
    admin's inline (or the shell) cannot delete it and lose the participants' answers."""
    from workshops.models import AssessmentTopic

    from ..factories import workshop_objects

    workshop = workshop_objects(project)["workshop"]
    topic = workshop.assessment_topics.get()
    client.force_login(admin_user)
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    data = posted_form(client.get(url).content.decode(), "workshop_form")
    data["assessment_topics-0-DELETE"] = ["on"]
    response = client.post(url, data)
    assert response.status_code == 200  # the page again, with the refusal
    assert AssessmentTopic.objects.filter(pk=topic.pk).exists() and AssessmentScore.objects.count() == 1
