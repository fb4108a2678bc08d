"""The attendance sheet with the keyboard only, and on a tablet."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trainings.models import Attendance
from trainings.services import enroll

from ..factories import TrainingFactory, add_sessions, make_beneficiary


def _session_with_roster(project, by, names):
    today = timezone.localdate()
    start = today - timedelta(days=1)  # its first session has begun: attendance can be taken
    training = TrainingFactory(project=project, start_date=start, end_date=today + timedelta(days=9))
    people = [make_beneficiary(project, by, first_name=first, last_name=last) for first, last in names]
    enrollments = enroll(training=training, beneficiaries=people, by=by)
    (session,) = add_sessions(training, 1)
    url = reverse("trainings:session-attendance", kwargs={"training_pk": training.pk, "pk": session.pk})
    return session, enrollments, url


def test_attendance_is_taken_with_the_keyboard_only(live_server, sign_in, field_staff, project):
    session, (awa, binta, coumba), url = _session_with_roster(
        project, field_staff, [("Awa", "Bâ"), ("Binta", "Cissé"), ("Coumba", "Diop")]
    )
    page = sign_in(field_staff)
    page.goto(live_server.url + url)
    # Focus the first choice as a Tab from the page's heading would, then only keys.
    page.get_by_role("radio", name="Présent").first.focus()
    page.keyboard.press("ArrowRight")  # Awa: excused
    page.keyboard.press("Tab")  # Binta's row: present stays
    page.keyboard.press("Tab")  # Coumba's row
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # Coumba: absent
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Enregistrer la présence"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Présence enregistrée pour 3 personnes." in page.content()
    saved = dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "status"))
    assert saved == {awa.pk: "excused", binta.pk: "present", coumba.pk: "absent"}


def test_the_sheet_fits_a_tablet_and_its_targets_are_large(live_server, sign_in, field_staff, project):
    _session, _enrollments, url = _session_with_roster(project, field_staff, [("Awa", "Bâ"), ("عائشة", "الفاسي")])
    page = sign_in(field_staff)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(live_server.url + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    choice = page.locator("label.attendance-choice").first.bounding_box()
    assert choice["height"] >= 44  # a finger's width, as WCAG 2.5.5 asks
    assert page.get_by_text("الفاسي").is_visible()
