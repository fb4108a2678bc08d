"""Anyone holding a certificate can check it by the code printed on it: the holder's name and the
training, nothing else of the person; a code cannot be guessed from another, and a person who left
the project is no longer named."""

import re

import pytest
from django.urls import reverse

from beneficiaries.services import beneficiary_withdraw
from trainings.services import CODE_ALPHABET

from ..factories import make_beneficiary, training_objects
from ..pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(project, field_staff):
    person = make_beneficiary(project, field_staff, first_name="Awa", last_name="Sow", phone="+212612345678")
    return training_objects(project, person, field_staff)["enrollment"]


def test_a_genuine_code_shows_the_name_and_the_training_and_nothing_more(client, certified):
    code = certified.verification_code
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{5}}-[{CODE_ALPHABET}]{{5}}", code)
    for typed in (code, code.lower(), code.replace("-", " "), code.replace("-", "")):
        response = client.get(reverse("certificate-check", kwargs={"code": typed}))
        page = text(response)
        assert response.status_code == 200 and "Cette attestation est authentique." in page
        assert "Awa SOW" in page and certified.training.title in page and certified.certificate_number in page
        person = certified.beneficiary
        for private in (person.reference, "612345678", "1992", person.get_nationality_display()):
            assert private not in page
        assert "no-store" in response["Cache-Control"]


def test_an_unknown_code_or_a_certificate_number_is_not_a_certificate(client, certified):
    for guess in ("AAAAA-AAAAA", certified.certificate_number, "<script>", "x" * 40):
        response = client.get(reverse("certificate-check", kwargs={"code": guess}))
        assert response.status_code == 404 and "Awa" not in text(response)
        assert "Aucune attestation n’a le code" in text(response)
        assert "<script>" not in response.content.decode()


def test_the_holder_is_no_longer_named_once_they_have_left(client, certified, field_staff):
    beneficiary_withdraw(beneficiary=certified.beneficiary, by=field_staff)
    page = text(client.get(reverse("certificate-check", kwargs={"code": certified.verification_code})))
    assert "Cette attestation est authentique." in page and "Awa" not in page and "SOW" not in page
    assert "elle a quitté le projet" in page


def test_the_code_typed_in_the_form_leads_to_its_page(client, certified):
    response = client.get(reverse("certificate-lookup"), {"code": certified.verification_code.lower()})
    assert response.status_code == 302
    assert text(client.get(response["Location"])).count("Awa SOW") == 1
    assert client.get(reverse("certificate-lookup")).status_code == 200


def test_the_printed_certificate_carries_the_code_and_where_to_check_it(client_for, field_staff, certified):
    url = reverse("trainings:enrollment-certificate", args=[certified.training_id, certified.pk])
    page = text(client_for(field_staff).get(url))
    assert certified.verification_code in page
    assert f"http://testserver/certificates/{certified.verification_code}/" in page


def test_the_certificate_in_arabic_reads_right_to_left_with_moroccan_dates_and_both_scripts(
    client_for, field_staff, certified
):
    person = certified.beneficiary
    person.other_first_name, person.other_last_name = "عوا", "سو"
    person.save()
    url = "/ar" + reverse("trainings:enrollment-certificate", args=[certified.training_id, certified.pk])
    response = client_for(field_staff).get(url)
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "شهادة" in page and "Awa SOW" in page and "عوا سو" in page
    end = certified.training.end_date
    months = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"]
    assert f"{end.day} {months[end.month - 1]} {end.year}" in page  # CLDR ar-MA, not Django's Middle East names
