"""The donor's and the public's pages in Chromium: the dashboard sliced by period and city, the map
and the charts at a desktop's and a phone's width, and axe on the sheet, the dashboard and an
update."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from projects.fm0390 import CITY_COORDINATES
from projects.models import Location
from reports.figures import Figures
from reports.models import Update, UpdatePhoto
from reports.services import update_approve

from ..core.conftest import jpeg_bytes
from ..datasets import build_dataset
from ..factories import make_beneficiary
from ..reports.test_dashboard import _framework, publish
from .test_journeys import OUT_OF_REACH

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}

# Each text of a chart or of the map: its size as drawn (the font size in the drawing's units times
# the drawing's scale), and whether it lies outside its drawing (cut).
CHART_TEXTS = """() => [...document.querySelectorAll("svg.bar-chart, svg.trend-chart, svg.map-chart")]
  .filter((svg) => svg.getClientRects().length)
  .flatMap((svg) => {
    const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll("text")].map((text) => {
      const mine = text.getBoundingClientRect();
      return {
        text: text.textContent.trim(),
        size: parseFloat(getComputedStyle(text).fontSize) * scale,
        cut: mine.left < box.left - 1 || mine.right > box.right + 1
          || mine.top < box.top - 1 || mine.bottom > box.bottom + 1,
      };
    });
  })"""


@pytest.fixture
def released(project, field_staff, me_officer):
    build_dataset(project, field_staff, 90, attendance=False)
    for city in Location.objects.filter(name__in=CITY_COORDINATES):  # the places of its map
        city.latitude, city.longitude = CITY_COORDINATES[city.name]
        city.save()
        project.locations.add(city)
    _framework(project)
    release = publish(project)
    update = Update.objects.create(
        project=project,
        title="Remise des certificats à Rabat",
        text="Dix-huit participantes ont reçu leur certificat.",
        happened_on=date(2024, 6, 14),
        created_by=field_staff,
        edited_by=field_staff,
    )
    update_approve(update=update, by=me_officer, version=update.version)
    photo = UpdatePhoto(
        update=update, caption="La salle de remise des certificats", width=80, height=60, uploaded_by=field_staff
    )
    photo.image.save("photo.jpg", ContentFile(jpeg_bytes(size=(80, 60))))
    return release, update


def _city_with_people(release) -> tuple[str, int]:
    figures = Figures(release.figures)
    table = figures.table("registered_by_city")
    for code, row in zip(table["row_codes"], table["grid"], strict=False):
        if isinstance(row[-1], int):
            return code, row[-1]
    raise AssertionError("no city with a published count")


def test_a_donor_slices_the_dashboard_by_period_and_city_and_reads_the_release(
    live_server, sign_in, project, field_staff, donor, released
):
    first, _update = released
    for number in range(12):  # a second release, with more people
        make_beneficiary(project, field_staff, first_name=f"Nouvelle{number}", phone="")
    publish(project)
    city, registered = _city_with_people(first)
    page = sign_in(donor)
    page.goto(f"{live_server.url}/projects/{project.code}/dashboard/")
    page.get_by_label("Période", exact=True).select_option(str(first.number))
    page.get_by_label("Ville", exact=True).select_option(city)
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    assert f"release={first.number}" in page.url and "city=" in page.url
    card = page.locator(".key-figures li", has_text="Migrants enregistrés")
    assert card.locator(".headline-value").inner_text().strip() == str(registered)
    certified = Figures(first.figures).cell("certified_by_city", city, "vocational")
    card = page.locator(".key-figures li", has_text="formation professionnelle")
    assert card.locator(".headline-value").inner_text().strip() == str(certified)
    assert page.get_by_role("heading", name=f"Chiffres de {city}").is_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_map_and_charts_fit_and_read_at_a_desktops_and_a_phones_width(
    live_server, sign_in, project, donor, released, viewport
):
    page = sign_in(donor)
    page.set_viewport_size(VIEWPORTS[viewport])
    for url in (f"/projects/{project.code}/dashboard/", f"/projects/{project.code}/"):
        page.goto(live_server.url + url)
        for details in page.locator("main details").all():  # the tables, opened, fit too
            details.evaluate("(element) => element.open = true")
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"], url
        assert not page.evaluate(OUT_OF_REACH), url
        texts = page.evaluate(CHART_TEXTS)
        assert texts, url
        assert not [t["text"] for t in texts if t["cut"]], url
        if viewport == "phone":
            small = [(t["text"], round(t["size"], 1)) for t in texts if t["size"] < 13.95]
            assert not small, f"{url}: {small[:5]}"


def test_the_sheet_the_dashboard_and_an_update_have_no_serious_accessibility_problem(
    live_server, sign_in, check_accessibility, project, donor, released
):
    _release, update = released
    page = sign_in(donor)
    for url in (f"/projects/{project.code}/", f"/projects/{project.code}/dashboard/", update.get_absolute_url()):
        for prefix in ("", "/en"):
            page.goto(live_server.url + prefix + url)
            check_accessibility(page)
    assert page.locator("main img").count() == 1  # the update's photo is shown
    assert len(check_accessibility.checked) == 6
