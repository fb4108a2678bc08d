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
