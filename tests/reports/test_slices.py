"""The dashboard sliced by period, quarter, city and component: every figure shown is the
release's own, and a slice the release does not have is refused with a message."""

import re
from datetime import date
from itertools import pairwise

import pytest
from django.urls import reverse

from reports.charts import quarters_between, trend_chart
from reports.figures import Figures

from ..datasets import build_dataset
from ..factories import make_beneficiary
from ..pages import text
from .test_dashboard import _framework, publish

URL = "reports:dashboard"


@pytest.fixture
def released(project, field_staff, donor):
    build_dataset(project, field_staff, 90, attendance=False)
    _framework(project)
    return publish(project)


def _cards(page: str) -> dict[str, str]:
    """The key figures as shown: name → value."""
    return {
        name.strip(): value
        for value, name in re.findall(r'class="headline-value[^>]*>([^<]+)</p>\s*<p class="small mb-1">([^<]+)<', page)
    }


def test_a_city_slice_shows_the_city_rows_of_the_release(client_for, project, donor, released):
    figures = Figures(released.figures)
    table = figures.table("registered_by_city")
    city = next(code for code, row in zip(table["row_codes"], table["grid"], strict=False) if isinstance(row[-1], int))
    page = text(client_for(donor).get(reverse(URL, args=[project.code]), {"city": city}))
    cards = _cards(page)
    assert cards["Migrants enregistrés"] == str(figures.cell("registered_by_city", city, "total"))
    assert cards["Migrants certifiés en formation professionnelle"] == str(
        figures.cell("certified_by_city", city, "vocational")
    )
    assert f"Chiffres de {city}" in page and "ne sont pas ventilés par ville" in page
    assert "Enregistrés par nationalité" not in page and 'id="section-people"' not in page


def test_a_quarter_slice_shows_the_quarters_counts(client_for, project, donor, released):
    figures = Figures(released.figures)
    quarter = next(q for q in figures.table("certificates_by_quarter")["row_codes"] if q != "all")
    page = text(client_for(donor).get(reverse(URL, args=[project.code]), {"quarter": quarter}))
    block = page[page.index('id="quarter-heading"') :]
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", block)[:3])
    assert shown["Certificats délivrés"] == str(figures.cell("certificates_by_quarter", quarter, "total"))


def test_an_older_release_stays_readable_after_a_new_one(client_for, project, field_staff, donor, released):
    first_total = Figures(released.figures).cell("registered_by_age", "total", "total")
    for number in range(12):
        make_beneficiary(project, field_staff, first_name=f"Nouvelle{number}", phone="")
    publish(project)
    url = reverse(URL, args=[project.code])
    latest = _cards(text(client_for(donor).get(url)))["Migrants enregistrés"]
    older = _cards(text(client_for(donor).get(url, {"release": released.number})))["Migrants enregistrés"]
    assert older == str(first_total) and latest != older


def test_a_component_slice_keeps_its_own_figures(client_for, project, donor, released):
    url = reverse(URL, args=[project.code])
    capacity = text(client_for(donor).get(url, {"area": "capacity"}))
    assert 'id="section-capacity"' in capacity and 'id="section-training"' not in capacity
    assert "Acteurs publics et associatifs formés" in capacity or "formés" in capacity
    training = text(client_for(donor).get(url, {"area": "vocational"}))
    assert 'id="section-training"' in training and 'id="section-capacity"' not in training


@pytest.mark.parametrize(
    "query",
    [{"city": "Atlantis"}, {"quarter": "2024-02-30"}, {"release": "99"}, {"area": "space"}, {"city": "<script>"}],
)
def test_a_slice_the_release_does_not_have_is_refused_in_words(client_for, project, donor, released, query):
    response = client_for(donor).get(reverse(URL, args=[project.code]), query)
    assert response.status_code == 400
    assert "ne fait pas partie des choix" in text(response)
    main = response.content.decode().split('id="main"', 1)[1].split("</main>")[0]
    assert "<script>" not in main  # the value is written back as text, escaped


def test_staff_may_read_a_release_instead_of_the_live_figures(client_for, project, me_officer, released):
    page = text(client_for(me_officer).get(reverse(URL, args=[project.code]), {"release": released.number}))
    assert "Vous voyez les chiffres en direct" not in page
    assert f"Publication {released.number}" in page


def test_a_trend_axis_runs_through_every_quarter_empty_ones_included():
    quarters = quarters_between(date(2023, 10, 1), date(2024, 10, 1))
    assert quarters == [date(2023, 10, 1), date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1)]
    chart = trend_chart("t", [(date(2023, 10, 1), 12), (date(2024, 10, 1), "< 5")], str)
    assert [c.text for c in chart.columns] == ["12", "0", "0", "0", "< 5"]
    assert [c.height for c in chart.columns][1:4] == [0, 0, 0] and chart.columns[-1].hidden
    xs = [c.x for c in chart.columns]
    assert all(round(b - a, 6) == round(xs[1] - xs[0], 6) for a, b in pairwise(xs))  # evenly spaced


def _without(release, *keys, reduce=()):
    """The release as one published before a table existed (``keys`` removed), or with tables
    reduced to their totals (``reduce``), written straight to its row as an older release holds it."""
    figures = dict(release.figures)
    tables = {key: table for key, table in figures["tables"].items() if key not in keys}
    for key in reduce:
        table = tables[key]
        total = table["grid"][-1]
        tables[key] = {**table, "row_codes": ["all"], "grid": [total, total]}
    figures["tables"] = tables
    type(release).objects.filter(pk=release.pk).update(figures=figures)
    release.refresh_from_db()
    return release


def test_a_release_published_before_the_city_table_is_sliced_without_an_error(client_for, project, donor, released):
    city = Figures(released.figures).table("registered_by_city")["row_codes"][0]
    _without(released, "certified_by_city")
    response = client_for(donor).get(reverse(URL, args=[project.code]), {"city": city})
    assert response.status_code == 200
    cards = _cards(text(response))
    assert cards["Migrants certifiés en formation professionnelle"] == "—"  # not published, not 0


def test_a_table_reduced_to_its_totals_shows_no_zero_for_a_quarter(client_for, project, donor, released):
    quarter = next(q for q in Figures(released.figures).table("certificates_by_quarter")["row_codes"] if q != "all")
    _without(released, reduce=["enrollments_by_quarter"])
    page = text(client_for(donor).get(reverse(URL, args=[project.code]), {"quarter": quarter}))
    block = page[page.index('id="quarter-heading"') :]
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", block)[:3])
    assert shown["Inscriptions"] == "—"


def test_a_donor_never_gets_a_page_drawn_for_staff(client_for, project, donor, me_officer, released):
    url = reverse(URL, args=[project.code])
    client_for(me_officer).get(url, {"release": released.number})
    page = text(client_for(donor).get(url, {"release": released.number}))
    assert "Chiffres en direct" not in page


def test_the_print_link_carries_the_slice_and_nothing_else(client_for, project, donor, released):
    city = Figures(released.figures).table("registered_by_city")["row_codes"][0]
    query = {"city": city, "next": "//evil.example", "utm_source": "x"}
    page = client_for(donor).get(reverse(URL, args=[project.code]), query).content.decode()
    link = re.search(r'href="(/projects/[^"]*/report/[^"]*)"', page).group(1)
    assert "city=" in link and "evil" not in link and "utm_source" not in link


def test_the_downloads_follow_the_period_chosen(client_for, project, field_staff, donor, released):
    for number in range(12):
        make_beneficiary(project, field_staff, first_name=f"Nouvelle{number}", phone="")
    publish(project)
    total = str(Figures(released.figures).cell("registered_by_age", "total", "total"))
    url = reverse("reports:aggregates", args=[project.code, "csv"])
    older = b"".join(client_for(donor).get(url, {"release": released.number}).streaming_content).decode("utf-8-sig")
    rows = [line.split(";") for line in older.splitlines()]
    assert [
        r[3] for r in rows if r[0].startswith("Migrants enregistrés, par tranche") and r[1:3] == ["Total", "Total"]
    ] == [total]
    page = client_for(donor).get(reverse(URL, args=[project.code]), {"release": released.number}).content.decode()
    assert f"csv?release={released.number}" in page


def test_the_counts_of_a_release_published_before_the_shared_names_are_read_under_them():
    from reports.figures import _counts_by_current_names

    old = {"certified_by_kind:vocational:total": 12, "certified_by_kind:total:total": 20, "x:y:z": 1}
    renamed = _counts_by_current_names(old)
    assert renamed["certified:vocational"] == 12 and renamed["certified:total"] == 20 and renamed["x:y:z"] == 1


def test_a_withheld_city_table_draws_the_places_without_counts(project, released):
    from projects.fm0390 import CITY_COORDINATES
    from projects.models import Location
    from reports.display import map_view

    for city in Location.objects.filter(name__in=CITY_COORDINATES):
        city.latitude, city.longitude = CITY_COORDINATES[city.name]
        city.save()
        project.locations.add(city)
    figures = Figures(_without(released, reduce=["registered_by_city"]).figures)
    drawn = map_view(project, figures)
    assert drawn.points and not drawn.counted and all(point.text == "" for point in drawn.points)
