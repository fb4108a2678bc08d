"""The portal in Arabic, right to left, in Chromium: a field officer's day (register, enroll, take
attendance, complete, certificate), the donor's dashboard and the public sheet, at a desktop's and
a phone's width, with axe-core on every page."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from beneficiaries.models import Beneficiary
from trainings.models import Enrollment

from ..datasets import build_dataset
from ..reports.test_dashboard import _framework, publish
from .test_donor_pages import CHART_TEXTS
from .test_journeys import OUT_OF_REACH

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


def arabic(message: str) -> str:
    with translation.override("ar"):
        return gettext(message)


def _reads_right_to_left(page, width: int) -> None:
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    assert not page.evaluate(OUT_OF_REACH), page.url


def _switch_to_arabic(page) -> None:
    """The language switch, as a person uses it, on the page they are on."""
    with page.expect_navigation():
        page.locator("button[name=language][value=ar]").first.click()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_field_officers_day_in_arabic(
    live_server, sign_in, check_accessibility, field_staff, project, trainings, viewport
):
    running, ended = trainings
    width = VIEWPORTS[viewport]["width"]
    page = sign_in(field_staff)
    page.set_viewport_size(VIEWPORTS[viewport])
    if viewport == "phone":
        page.locator(".navbar-toggler").click()
    _switch_to_arabic(page)
    assert "/ar/" in page.url
    _reads_right_to_left(page, width)
    check_accessibility(page)
    base = live_server.url + "/ar"

    # Register a migrant, her name in Arabic script.
    page.goto(f"{base}/beneficiaries/new/")
    _reads_right_to_left(page, width)
    check_accessibility(page)
    page.locator("#id_first_name").fill("مريم")
    page.locator("#id_last_name").fill("باه")
    page.locator("#id_other_first_name").fill("Mariam")
    page.locator("#id_other_last_name").fill("Bah")
    page.locator("#id_sex").select_option("F")
    page.locator("#id_date_of_birth").fill("1994-06-02")
    page.locator("#id_nationality").select_option("GN")
    page.locator("#id_city").select_option(label="Rabat")
    page.locator("#id_consent_processing").check()
    page.locator("#id_consent_processing_method").select_option("written")
    with page.expect_navigation():
        page.get_by_role("button", name=arabic("Register"), exact=True).click()
    mariam = Beneficiary.objects.get(first_name="مريم")
    assert mariam.other_full_name == "Mariam Bah"
    assert page.get_by_text("Mariam Bah").is_visible()  # under her name, in its own direction
    _reads_right_to_left(page, width)
    check_accessibility(page)

    # Enroll her in the running training.
    page.goto(f"{base}/trainings/{running.pk}/enroll/?q=%D8%A8%D8%A7%D9%87")
    _reads_right_to_left(page, width)
    check_accessibility(page)
    page.locator(f"input[type=checkbox][value='{mariam.pk}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name=arabic("Enroll the people ticked")).click()
    assert Enrollment.objects.filter(training=running, beneficiary=mariam).exists()

    # The ended training: take its sessions' attendance, complete it, print her certificate.
    Enrollment.objects.create(
        training=ended, beneficiary=mariam, status="enrolled", enrolled_on=ended.start_date, created_by=field_staff
    )
    for session in ended.sessions.all():
        page.goto(f"{live_server.url}/ar{session.get_absolute_url()}")
        _reads_right_to_left(page, width)
        check_accessibility(page)
        with page.expect_navigation():
            page.get_by_role("button", name=arabic("Save the attendance")).click()
    page.goto(f"{base}/trainings/{ended.pk}/complete/")
    _reads_right_to_left(page, width)
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name=arabic("Complete and issue the certificates")).click()
    enrollment = Enrollment.objects.get(training=ended, beneficiary=mariam)
    assert enrollment.is_certified
    page.goto(f"{base}/trainings/{ended.pk}/enrollments/{enrollment.pk}/certificate/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    check_accessibility(page)
    assert page.get_by_text(enrollment.certificate_number).is_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_donors_dashboard_and_the_sheet_read_right_to_left(
    live_server, sign_in, check_accessibility, project, field_staff, donor, viewport
):
    build_dataset(project, field_staff, 90, attendance=False)
    _framework(project)
    publish(project)
    width = VIEWPORTS[viewport]["width"]
    page = sign_in(donor)
    page.set_viewport_size(VIEWPORTS[viewport])
    for url in (f"/ar/projects/{project.code}/dashboard/", f"/ar/projects/{project.code}/"):
        page.goto(live_server.url + url)
        for details in page.locator("main details").all():
            details.evaluate("(element) => element.open = true")
        _reads_right_to_left(page, width)
        check_accessibility(page)
        texts = page.evaluate(CHART_TEXTS)
        assert not [t["text"] for t in texts if t["cut"]], url
        if viewport == "phone":
            assert not [t for t in texts if t["size"] < 13.95], url
    # The charts read from the right: labels anchored at the drawing's right edge.
    page.goto(f"{live_server.url}/ar/projects/{project.code}/dashboard/")
    anchors = page.locator("svg.bar-chart text.group-label").evaluate_all(
        "(texts) => texts.map((text) => text.getAttribute('text-anchor'))"
    )
    assert anchors and set(anchors) == {"end"}
