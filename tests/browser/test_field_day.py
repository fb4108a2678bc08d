"""A field officer's day, walked in Chromium and counted: taps, characters typed and page loads from
the sign-in page to the task done, on a desktop and on a 375 px phone. The figures are printed (run
with ``-s``) and written in the README; the assertions hold the new ways to what they measured."""

import re
from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest
from django.utils import timezone

from trainings.models import Attendance, Session
from trainings.services import enroll, record_attendance

from ..factories import TEST_PASSWORD, LocationFactory, TrainingFactory, make_beneficiary

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


@dataclass
class Tally:
    """What a person did to get something done: taps (clicks), characters typed, pages loaded."""

    page: object
    taps: int = 0
    characters: int = 0
    loads: list = field(default_factory=list)

    def __post_init__(self):
        self.page.on("load", lambda page: self.loads.append(page.url))

    def tap(self, locator, *, navigates: bool = True):
        self.taps += 1
        if navigates:
            with self.page.expect_navigation():
                locator.click()
        else:
            locator.click()

    def type(self, locator, value: str):
        self.taps += 1  # focusing the field
        self.characters += len(value)
        locator.fill(value)

    def __str__(self):
        return f"{self.taps} taps, {self.characters} characters, {len(self.loads)} page loads"


def _sign_in(tally, base, user):
    page = tally.page
    page.goto(f"{base}/accounts/login/")
    tally.type(page.get_by_label("Nom d’utilisateur"), user.username)
    tally.type(page.get_by_label("Mot de passe"), TEST_PASSWORD)
    tally.tap(page.locator("main button[type=submit]"))


@pytest.fixture
def class_today(project, field_staff):
    """A training the officer runs, 30 people enrolled, a session today that has begun."""
    today = timezone.localdate()
    training = TrainingFactory(
        project=project,
        title="Maintenance automobile",
        capacity=30,
        start_date=today - timedelta(days=14),
        end_date=today + timedelta(days=30),
    )
    training.officers.add(field_staff)
    people = [make_beneficiary(project, field_staff, first_name=f"Personne{n}", last_name="Diallo") for n in range(30)]
    enrollments = enroll(training=training, beneficiaries=people, by=field_staff)
    for days_ago in (14, 7):  # earlier sessions, their attendance taken
        session = Session.objects.create(training=training, date=today - timedelta(days=days_ago), start_time=time(9))
        record_attendance(session=session, marks={e.pk: "present" for e in enrollments}, by=field_staff)
    return Session.objects.create(training=training, date=today, start_time=time(0, 0), topic="Freinage")


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_today_attendance_from_sign_in(live_server, page, field_staff, class_today, check_accessibility, screen):
    page.set_viewport_size(VIEWPORTS[screen])
    tally = Tally(page)
    _sign_in(tally, live_server.url, field_staff)
    check_accessibility(page)
    assert page.locator('[aria-current="page"]').first.inner_text() == "Mon travail" or screen == "phone"
    tally.tap(page.get_by_role("link", name=re.compile("^Relever la présence")).first)
    tally.tap(page.get_by_role("button", name="Enregistrer la présence"))
    assert "Présence enregistrée pour 30 personnes." in page.content()
    assert Attendance.objects.filter(session=class_today, status="present").count() == 30
    print(f"\nToday's attendance from sign-in ({screen}): {tally}")
    # Taps: the two sign-in fields and its button, the session's button on the home page, save.
    # Pages: the sign-in page, the home page, the sheet, the sheet saved.
    assert (tally.taps, len(tally.loads)) == (5, 4)


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_the_way_there_before_the_home_page(live_server, page, field_staff, class_today, screen):
    """The way the portal offered before the staff home page (it is still there): the trainings list,
    the training, its session. Walked for the README's "before" figure."""
    page.set_viewport_size(VIEWPORTS[screen])
    tally = Tally(page)
    _sign_in(tally, live_server.url, field_staff)
    if screen == "phone":
        tally.tap(page.get_by_role("button", name="Afficher ou masquer la navigation"), navigates=False)
    tally.tap(page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Formations"))
    tally.tap(page.get_by_role("link", name="Maintenance automobile"))
    tally.tap(page.get_by_role("link", name=f"{class_today.date:%d/%m/%Y}"))
    tally.tap(page.get_by_role("button", name="Enregistrer la présence"))
    assert "Présence enregistrée pour 30 personnes." in page.content()
    print(f"\nToday's attendance the old way ({screen}): {tally}")


@pytest.fixture
def class_to_enroll(project, field_staff):
    """An upcoming training in Rabat for 30, and 30 people of Rabat to enroll among 45 of the project
    (15 of them in Casablanca, five of those namesakes of people of Rabat)."""
    today = timezone.localdate()
    training = TrainingFactory(
        project=project,
        title="Couture",
        capacity=30,
        start_date=today + timedelta(days=7),
        end_date=today + timedelta(days=60),
    )
    rabat = training.city
    casablanca = LocationFactory(name="Casablanca")
    people = [
        make_beneficiary(project, field_staff, first_name=f"Awa{n:02d}", last_name="Bah", city=rabat) for n in range(30)
    ]
    for n in range(15):
        make_beneficiary(project, field_staff, first_name=f"Awa{n:02d}", last_name="Bah", city=casablanca)
    return training, people


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_a_class_of_30_is_enrolled_by_ticking(
    live_server, sign_in, page, field_staff, class_to_enroll, check_accessibility, screen
):
    training, people = class_to_enroll
    sign_in(field_staff)
    page.set_viewport_size(VIEWPORTS[screen])
    page.goto(f"{live_server.url}{training.get_absolute_url()}")
    tally = Tally(page)
    tally.loads.append(page.url)  # the training's page, where the task starts
    tally.tap(page.get_by_role("link", name="Inscrire des personnes").first)
    check_accessibility(page)
    for person in people:
        tally.tap(page.locator(f"#person-{person.pk}"), navigates=False)
    assert page.locator("[data-ticked-count]").inner_text() == "30"
    tally.tap(page.get_by_role("button", name=re.compile("^Inscrire les personnes cochées")))
    assert "30 personnes inscrites." in page.content()
    assert training.enrollments.filter(status="enrolled").count() == 30
    print(f"\nA class of 30 enrolled by ticking ({screen}): {tally}")
    assert tally.taps < 40 and len(tally.loads) <= 5


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_a_class_of_30_is_enrolled_from_a_list_of_references(
    live_server, sign_in, page, field_staff, class_to_enroll, screen
):
    training, people = class_to_enroll
    sign_in(field_staff)
    page.set_viewport_size(VIEWPORTS[screen])
    page.goto(f"{live_server.url}{training.get_absolute_url()}")
    tally = Tally(page)
    tally.loads.append(page.url)
    tally.tap(page.get_by_role("link", name="Inscrire des personnes").first)
    tally.tap(page.get_by_text("Coller ou scanner une liste de références"), navigates=False)
    roster = "\n".join(person.reference for person in people)  # as copied from a spreadsheet column
    tally.taps += 1  # focus the box; the paste is one action, not typing
    page.get_by_label("Coller des références").fill(roster)
    tally.tap(page.get_by_role("button", name="Rechercher"))
    assert page.locator("[data-ticked-count]").inner_text() == "30"
    tally.tap(page.get_by_role("button", name=re.compile("^Inscrire les personnes cochées")))
    assert "30 personnes inscrites." in page.content()
    print(f"\nA class of 30 enrolled from pasted references ({screen}): {tally}")
    assert tally.taps <= 5 and len(tally.loads) <= 4
