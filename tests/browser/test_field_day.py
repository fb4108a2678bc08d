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

from ..factories import TEST_PASSWORD, TrainingFactory, make_beneficiary

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
