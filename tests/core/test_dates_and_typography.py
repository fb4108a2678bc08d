"""One date format per language everywhere, and each language's own typography: "14 Nov 2026" and
"80%" in English; "14/11/2026" (or "14 novembre 2026") and "80 %" (a no-break space) in French."""

from datetime import date

import pytest
from django.urls import reverse

from ..factories import TrainingFactory
from ..pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(project):
    return TrainingFactory(project=project, title="Couture", start_date=date(2026, 11, 14), end_date=date(2026, 12, 19))


@pytest.mark.parametrize(
    ("prefix", "dates", "threshold"),
    [
        ("", "14/11/2026 – 19/12/2026", "avec au moins 80\xa0% de présence"),
        ("/en", "14 Nov 2026 – 19 Dec 2026", "with 80% attendance or more"),
    ],
)
def test_lists_and_pages_write_dates_and_percentages_as_the_language_does(
    client_for, field_staff, training, prefix, dates, threshold
):
    client = client_for(field_staff)
    list_url, page_url = reverse("trainings:training-list"), training.get_absolute_url()  # French paths
    listed = text(client.get(prefix + list_url))
    assert dates in listed
    page = text(client.get(prefix + page_url))
    assert threshold in page
    if prefix:
        assert " %" not in page.replace("{%", "") and "\xa0%" not in page  # no French typography in English
        assert "11/14/2026" not in listed  # never month first


def test_english_dates_are_day_first_on_every_page_that_shows_one(client_for, field_staff, training):
    from trainings.models import Session

    Session.objects.create(training=training, date=date(2026, 11, 16), start_time="09:00")
    page = text(client_for(field_staff).get("/en" + training.get_absolute_url()))
    assert "16 Nov 2026" in page and "14 Nov 2026" in page
