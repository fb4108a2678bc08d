"""The enroll page as a class is enrolled: it opens on the people who can join, keeps a selection
from search to search, takes pasted references, tells namesakes apart, says why someone cannot be
enrolled, and enrolls the whole selection with one button."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.services import beneficiary_withdraw
from trainings.models import Enrollment, Training
from trainings.services import enroll

from ..beneficiaries.test_registry import form_data
from ..factories import LocationFactory, TrainingFactory, make_beneficiary
from ..pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(project):
    today = timezone.localdate()
    return TrainingFactory(
        project=project, capacity=30, start_date=today - timedelta(days=2), end_date=today + timedelta(days=40)
    )


@pytest.fixture
def url(training):
    return reverse("trainings:training-enroll", kwargs={"pk": training.pk})


def _people(project, by, count, **fields):
    return [make_beneficiary(project, by, first_name=f"Personne{n:02d}", **fields) for n in range(count)]


def test_it_opens_on_the_people_of_the_training_city_who_can_join(client_for, field_staff, project, training, url):
    rabat = _people(project, field_staff, 3, last_name="Bah")
    make_beneficiary(project, field_staff, last_name="Kane", city=LocationFactory(name="Casablanca"))
    enroll(training=training, beneficiaries=rabat[:1], by=field_staff)
    page = client_for(field_staff).get(url)
    lines = [(line.person.pk, line.reason) for line in page.context["results"]]
    # Those who can join first; the one already in the training still shows, with the reason.
    assert lines == [(rabat[1].pk, ""), (rabat[2].pk, ""), (rabat[0].pk, "Déjà inscrit·e")]
    assert "KANE" not in text(page)
    assert "3 personnes trouvées." in text(page)


def test_it_says_when_the_results_are_cut(client_for, field_staff, project, training, url):
    _people(project, field_staff, 55, last_name="Sow")
    page = text(client_for(field_staff).get(url))
    assert "Les 50 premières personnes sur 55 : précisez la recherche ou les filtres" in page


def test_namesakes_are_told_apart_by_birth_date_and_phone(client_for, field_staff, project, training, url):
    make_beneficiary(project, field_staff, first_name="Mariama", last_name="Ba", date_of_birth=date(1990, 1, 2))
    make_beneficiary(
        project,
        field_staff,
        first_name="Mariama",
        last_name="Ba",
        date_of_birth=date(1995, 7, 8),
        phone="+212600000417",
    )
    page = text(client_for(field_staff).get(url, {"q": "mariama ba"}))
    assert "né·e le 02/01/1990" in page and "né·e le 08/07/1995" in page
    assert "tél. …417" in page and "tél. …678" in page
    assert page.count(f"· Femme · {training.city.name}") == 2  # their sex and city, as the page shows them


def test_a_selection_is_kept_from_search_to_search_then_enrolled_in_one_go(
    client_for, field_staff, project, training, url
):
    awa = make_beneficiary(project, field_staff, first_name="Awa", last_name="Traoré")
    binta = make_beneficiary(project, field_staff, first_name="Binta", last_name="Cissé")
    client = client_for(field_staff)
    # Awa ticked, then a search for Binta: Awa stays in the selection, ticked; nothing is written.
    page = client.post(url, {"q": "binta", "beneficiaries": [awa.pk], "search": "1"})
    assert [line.person.pk for line in page.context["selected"]] == [awa.pk]
    assert [line.person.pk for line in page.context["results"]] == [binta.pk]
    assert f'value="{awa.pk}" id="person-{awa.pk}" checked' in text(page)
    assert not Enrollment.objects.exists()
    done = client.post(url, {"q": "binta", "beneficiaries": [awa.pk, binta.pk], "enroll": "1"}, follow=True)
    assert "2 personnes inscrites." in text(done)
    assert set(Enrollment.objects.values_list("beneficiary", flat=True)) == {awa.pk, binta.pk}


def test_pasted_references_join_the_selection_and_the_rest_is_explained(
    client_for, field_staff, other_project, outsider, project, training, url
):
    first, second, withdrawn = _people(project, field_staff, 3, last_name="Diallo")
    beneficiary_withdraw(beneficiary=withdrawn, by=field_staff)
    elsewhere = make_beneficiary(other_project, outsider, first_name="Autre")
    pasted = f"{first.reference}, {second.reference.lower()}\n{withdrawn.reference} FM0390-999999 {elsewhere.reference}"
    page = client_for(field_staff).post(url, {"references": pasted, "search": "1"})
    assert [line.person.pk for line in page.context["selected"]] == [first.pk, second.pk]
    assert [(line.person.pk, line.reason) for line in page.context["selection_refused"]] == [
        (withdrawn.pk, "Retiré·e du projet")
    ]
    # Someone of another project is as unknown as a reference that does not exist.
    assert page.context["references_unknown"] == ["FM0390-999999", elsewhere.reference]
    assert "Autre" not in text(page)
    assert not Enrollment.objects.exists()


def test_a_training_for_women_offers_women_and_refuses_men(client_for, me_officer, field_staff, project, url, training):
    training.open_to = Training.OpenTo.WOMEN
    training.save()
    woman = make_beneficiary(project, field_staff, first_name="Awa", last_name="Sylla", sex="F")
    man = make_beneficiary(project, field_staff, first_name="Moussa", last_name="Sylla", sex="M")
    client = client_for(field_staff)
    opening = client.get(url)
    assert [line.person.pk for line in opening.context["results"]] == [woman.pk]
    searched = client.get(url, {"q": "sylla"})  # a name search shows him, with the reason
    assert [(line.person.pk, line.reason) for line in searched.context["results"]] == [
        (woman.pk, ""),
        (man.pk, "Femmes uniquement"),
    ]
    refused = client.post(url, {"beneficiaries": [man.pk], "enroll": "1"})
    assert "Une personne cochée ne peut plus être inscrite" in text(refused)
    assert not Enrollment.objects.exists()


def test_a_training_with_a_man_in_it_cannot_become_for_women_only(
    client_for, me_officer, field_staff, project, training
):
    man = make_beneficiary(project, field_staff, first_name="Moussa", sex="M")
    enroll(training=training, beneficiaries=[man], by=field_staff)
    edit = reverse("trainings:training-edit", kwargs={"pk": training.pk})
    from ..pages import posted_form

    data = posted_form(client_for(me_officer).get(edit).content.decode(), containing="title")
    data["open_to"] = ["F"]
    response = client_for(me_officer).post(edit, data)
    assert f"Femmes uniquement : retirez d’abord de la formation {man.reference}." in text(response)
    training.refresh_from_db()
    assert training.open_to == ""


def test_the_filters_narrow_the_list_and_a_bad_value_is_said_not_obeyed(
    client_for, field_staff, me_officer, project, training, url
):
    mine = make_beneficiary(project, field_staff, first_name="Awa", last_name="Bah")
    theirs = make_beneficiary(project, me_officer, first_name="Binta", last_name="Bah")
    Beneficiary.objects.filter(pk=theirs.pk).update(created_at=timezone.now() - timedelta(days=400))
    client = client_for(field_staff)
    by_me = client.get(url, {"registered_by_me": "on"})
    assert [line.person.pk for line in by_me.context["results"]] == [mine.pk]
    recent = client.get(url, {"registered_since": (timezone.localdate() - timedelta(days=30)).isoformat()})
    assert [line.person.pk for line in recent.context["results"]] == [mine.pk]
    for field, nonsense in (("registered_since", "2024-13-45"), ("city", "999999"), ("sex", "X")):
        page = client.get(url, {field: nonsense})
        assert page.status_code == 200 and "is-invalid" in text(page)
        assert {line.person.pk for line in page.context["results"]} == {mine.pk, theirs.pk}


def test_the_page_reads_the_same_queries_for_five_people_or_forty(client_for, field_staff, project, training, url):
    client = client_for(field_staff)
    _people(project, field_staff, 5, last_name="Bah")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    people = _people(project, field_staff, 35, last_name="Camara")
    enroll(training=training, beneficiaries=people[:10], by=field_staff)
    search = {"beneficiaries": [p.pk for p in people[10:30]], "search": "1"}
    client.post(url, search)  # what is kept per data version is read again once, as before "few"
    with CaptureQueriesContext(connection) as many:
        client.post(url, search)
    # The selection's own reads (its people, and their status here), and the status here of those
    # listed who cannot join (the five of "few" could all join: nobody's status to read).
    assert len(many) <= len(few) + 3


def test_after_registering_the_person_page_offers_the_trainings_they_can_join(
    client_for, field_staff, project, training
):
    today = timezone.localdate()
    casablanca = TrainingFactory(
        project=project,
        title="Cuisine",
        city=LocationFactory(name="Casablanca"),
        start_date=today + timedelta(days=3),
        end_date=today + timedelta(days=30),
    )
    TrainingFactory(project=project, title="Ended")  # ended last month: not offered
    TrainingFactory(project=project, title="For men", open_to="M", start_date=today, end_date=today + timedelta(days=9))
    client = client_for(field_staff)
    data = form_data(project, first_name="Awa", last_name="Koné", city=training.city)
    page = client.post(reverse("beneficiaries:beneficiary-create"), data, follow=True)
    person = Beneficiary.objects.get(last_name="Koné")
    assert f"{person.reference} · Awa Koné enregistré·e." in text(page)  # the name with the reference
    body = text(page)
    section = body[body.index("Inscrire à une formation") : body.index("Formations et suivis")]
    assert training.title in section and "Cuisine" in section and "Ended" not in section and "For men" not in section
    assert section.index(training.title) < section.index("Cuisine")  # their own city first
    # One tap: the button enrolls them and says so.
    done = client.post(
        reverse("trainings:training-enroll", kwargs={"pk": casablanca.pk}),
        {"beneficiaries": [person.pk], "enroll": "1"},
        follow=True,
    )
    assert "1 personne inscrite." in text(done)
    assert Enrollment.objects.get(beneficiary=person).training == casablanca


def test_a_class_imported_from_a_spreadsheet_is_found_by_its_import(
    client_for, field_staff, me_officer, project, training, url
):
    from beneficiaries import imports

    make_beneficiary(project, field_staff, first_name="Déjà", last_name="Là")
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Consentement au traitement\n"
        "Kouassi;Yao;H;1988-05-02;CI;Rabat;oui\nKoné;Ami;F;1990-01-01;ML;Rabat;oui\n"
    ).encode()
    result = imports.preview(project=project, filename="classe.csv", content=content)
    batch = imports.commit(project=project, result=result, by=me_officer)[0].import_batch
    client = client_for(field_staff)
    opening = client.get(url)
    assert "2 personnes" in dict(opening.context["search"].fields["import_batch"].choices)[batch]
    page = client.get(url, {"import_batch": batch})
    assert {line.person.last_name for line in page.context["results"]} == {"Kouassi", "Koné"}
    unknown = client.get(url, {"import_batch": "nope"})
    assert "is-invalid" in text(unknown) and len(unknown.context["results"]) == 3  # said, not obeyed


def test_every_value_of_a_line_is_escaped(client_for, field_staff, project, training, url):
    person = make_beneficiary(project, field_staff, first_name="Awa", last_name="Bah")
    Beneficiary.objects.filter(pk=person.pk).update(last_name="<script>alert(1)</script>", first_name='"><img>')
    body = client_for(field_staff).get(url).content.decode()
    assert "<script>alert(1)" not in body and '"><img>' not in body
    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in body
