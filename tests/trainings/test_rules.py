"""Each training rule has one home (trainings.rules, or the model's clean()), and every path asks it:
the staff pages, the services and the admin refuse the same things with the same words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from trainings.models import BusinessSupport, Training
from trainings.services import enroll

from ..factories import TrainingFactory, add_sessions, make_beneficiary, training_objects
from ..pages import posted_form, text

pytestmark = pytest.mark.django_db


def french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


def _admin_post(client, admin_user, url: str, form_id: str, **changes):
    client.force_login(admin_user)
    data = posted_form(client.get(url).content.decode(), form_id)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def test_the_admin_cannot_shrink_places_below_the_people_holding_one(project, field_staff, admin_user, client):
    today = timezone.localdate()
    training = TrainingFactory(
        project=project, capacity=5, start_date=today + timedelta(days=10), end_date=today + timedelta(days=40)
    )
    enroll(training=training, beneficiaries=[make_beneficiary(project, field_staff) for _ in range(3)], by=field_staff)
    url = reverse("admin:trainings_training_change", args=[training.pk])
    response = _admin_post(client, admin_user, url, "training_form", capacity="2")
    assert response.status_code == 200
    expected = french("%(count)d people already hold a place: the capacity cannot be lower.") % {"count": 3}
    assert expected in text(response)
    training.refresh_from_db()
    assert training.capacity == 5


def test_the_admin_cannot_move_a_training_away_from_its_sessions(project, admin_user, client):
    """The staff form refused dates that leave a session outside; the admin did not ask."""
    training = TrainingFactory(project=project)
    add_sessions(training, 3)  # the first three days
    later = training.start_date + timedelta(days=5)
    url = reverse("admin:trainings_training_change", args=[training.pk])
    response = _admin_post(client, admin_user, url, "training_form", start_date=later.isoformat())
    assert response.status_code == 200
    assert french("%(count)d session(s) would fall outside these dates: move them first.") % {"count": 3} in text(
        response
    )
    training.refresh_from_db()
    assert training.start_date != later


def test_the_staff_form_and_the_admin_say_the_same_about_dates_out_of_order(
    project, me_officer, admin_user, client_for, client
):
    """One rule (the model's clean), said by the end date on both pages."""
    training = TrainingFactory(project=project)
    before = (training.start_date - timedelta(days=1)).isoformat()
    message = french("The end date cannot be before the start date.")
    staff, staff_url = client_for(me_officer), reverse("trainings:training-edit", args=[training.pk])
    data = posted_form(staff.get(staff_url).content.decode(), containing="end_date")
    data["end_date"] = [before]
    staff_page = staff.post(staff_url, data)
    admin_url = reverse("admin:trainings_training_change", args=[training.pk])
    admin_page = _admin_post(client, admin_user, admin_url, "training_form", end_date=before)
    for response in (staff_page, admin_page):
        assert response.status_code == 200 and message in text(response)
    assert Training.objects.get(pk=training.pk).end_date == training.end_date


def test_business_support_rules_hold_in_the_admin_as_on_the_staff_page(project, field_staff, admin_user, client):
    """A started business needs its start date, and no date lies in the future, whichever page
    records it: the admin accepted a support date next year."""
    person = make_beneficiary(project, field_staff)
    support = training_objects(project, person, field_staff)["business_support"]
    url = reverse("admin:trainings_businesssupport_change", args=[support.pk])
    next_year = (timezone.localdate() + timedelta(days=365)).isoformat()
    response = _admin_post(
        client, admin_user, url, "businesssupport_form", business_status="started", support_on=next_year
    )
    page = text(response)
    assert response.status_code == 200
    assert french("Give the date the business started.") in page
    assert french("This date cannot be in the future.") in page
    support.refresh_from_db()
    assert support.business_status == BusinessSupport.BusinessStatus.PLANNED and support.support_on is None
