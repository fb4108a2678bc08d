import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import AccessLog, Beneficiary, DistinctPersonConfirmation
from beneficiaries.services import beneficiary_anonymize, beneficiary_update
from core.roles import Role
from core.signals import data_changed
from projects.models import Location, Membership

from ..factories import ProjectFactory, UserFactory, beneficiary_data, make_beneficiary

CREATE_URL = reverse("beneficiaries:beneficiary-create")


def form_data(project, **overrides) -> dict:
    """The registration form as a browser posts it."""
    data = beneficiary_data(**overrides)
    posted = {key: ("on" if value is True else value) for key, value in data.items() if value not in (False, None, "")}
    posted["city"] = data["city"].pk
    posted["project"] = project.pk
    posted["languages"] = data["languages"]
    posted["date_of_birth"] = data["date_of_birth"].isoformat() if data.get("date_of_birth") else ""
    posted["consent_processing_date"] = data["consent_processing_date"].isoformat()
    return posted


def test_registering_through_the_form_creates_one_record_with_history_and_a_log(project, field_staff, client_for):
    client = client_for(field_staff)
    response = client.post(CREATE_URL, form_data(project, first_name="Awa", last_name="Ndiaye"))
    beneficiary = Beneficiary.objects.get()
    assert response.status_code == 302 and response["Location"] == beneficiary.get_absolute_url()
    assert beneficiary.reference == "FM0390-000001"
    assert beneficiary.created_by == field_staff
    assert str(beneficiary.phone) == "+212612345678"
    assert beneficiary.age_group in ("25-34", "35-49")  # born 1992, registered today
    assert beneficiary.history.count() == 1
    assert beneficiary.history.get().history_user == field_staff
    log = AccessLog.objects.get()
    assert (log.user, log.reference, log.action) == (field_staff, beneficiary.reference, AccessLog.Action.CREATE)
    assert "Awa" not in log.detail and "Ndiaye" not in log.detail


def test_viewing_a_record_is_logged_without_personal_data(project, field_staff, client_for):
    beneficiary = make_beneficiary(project, field_staff)
    client_for(field_staff).get(beneficiary.get_absolute_url())
    log = AccessLog.objects.filter(action=AccessLog.Action.VIEW).get()
    assert log.reference == beneficiary.reference and log.detail == ""


def test_the_person_page_shows_their_project_city_and_who_registered_them_without_reading_those_rows(
    project, field_staff, me_officer, client_for
):
    """The project, the city and the registering user come beside the person as values: the page
    shows them, and reads none of their rows (a project is 30 columns)."""
    beneficiary = make_beneficiary(project, field_staff)
    nameless = UserFactory(username="nameless", first_name="", last_name="", role=Role.FIELD_STAFF, projects=[project])
    unnamed = make_beneficiary(project, nameless, first_name="Moussa", sex="M", phone="+212661000777")
    client = client_for(me_officer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(beneficiary.get_absolute_url()).content.decode()
    assert project.code in page and beneficiary.city.name in page
    assert field_staff.get_full_name() in page
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"projects_project"."title_fr"' not in tables and '"projects_location"."kind"' not in tables
    assert tables.count('"auth_user"."password"') == 1  # the signed-in reader only, not who registered
    assert "nameless" in client.get(unnamed.get_absolute_url()).content.decode()  # no name: the username


@pytest.mark.parametrize(
    ("reader", "finds"),
    [
        ("field_staff", {"here"}),
        ("outsider", {"there"}),
        ("admin_user", {"here", "there"}),
        ("inactive", set()),
        ("anonymous", set()),
    ],
)
def test_a_persons_page_finds_whom_the_scoping_rule_lets_the_reader_see_and_no_one_else(
    request, project, other_project, field_staff, outsider, reader, finds
):
    """The page reads a person through SQL of its own (``beneficiary_page_get``), with the scoping
    rule written as SQL (``core.scoping.member_condition``): it must find exactly whom ``for_member``
    lets each kind of reader see. A reference written as SQL finds no one."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from beneficiaries.selectors import beneficiary_page_get
    from core.scoping import for_member

    people = {"here": make_beneficiary(project, field_staff), "there": make_beneficiary(other_project, outsider)}
    if reader == "anonymous":
        user = AnonymousUser()
    elif reader == "inactive":
        user = UserFactory(role=Role.FIELD_STAFF, projects=[project, other_project], is_active=False)
    else:
        user = request.getfixturevalue(reader)

    found = set()
    for name, person in people.items():
        try:
            read = beneficiary_page_get(user=user, reference=person.reference)
        except Http404:
            continue
        assert read.pk == person.pk
        found.add(name)
    assert found == finds
    assert found == {
        name for name, person in people.items() if for_member(Beneficiary.objects, user).filter(pk=person.pk)
    }
    with pytest.raises(Http404):
        beneficiary_page_get(user=user, reference=f"{people['here'].reference}' OR '1' = '1")


def test_a_persons_page_reads_their_project_city_and_registrar_as_values(project, field_staff):
    from beneficiaries.selectors import beneficiary_page_get

    person = make_beneficiary(project, field_staff)
    read = beneficiary_page_get(user=field_staff, reference=person.reference)
    assert (read.project_code, read.project_country, read.city_name, read.registered_by) == (
        project.code,
        project.country,
        person.city.name,
        field_staff.get_full_name(),
    )
    # Read as the model reads itself: the same values, in the same Python types.
    stored = Beneficiary.objects.get(pk=person.pk)
    for field in Beneficiary._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(stored, field.attname), field.name
        assert type(getattr(read, field.attname)) is type(getattr(stored, field.attname)), field.name


def _panel_with(monkeypatch, values: dict) -> None:
    """A panel of a test's own, registered for the test only."""
    from beneficiaries import panels

    panel = panels.PersonPanel(template_name="", context=dict, values=lambda: values)
    monkeypatch.setitem(panels._panels, "test-panel", panel)


def test_a_panels_values_are_read_with_the_person_as_the_orm_reads_them(monkeypatch, project, field_staff):
    """A panel's values come in the page's own SQL, and in the types the ORM gives them on every
    database (SQLite answers 0 or 1, and a time as text)."""
    from django.db.models import Exists, OuterRef, Subquery

    from beneficiaries.selectors import beneficiary_page_get

    person = make_beneficiary(project, field_staff)
    logged = AccessLog.objects.filter(reference=OuterRef("reference"))
    values = {
        "first_logged": Subquery(logged.order_by("at").values("at")[:1]),
        "has_a_log": Exists(logged),
        "has_a_view": Exists(logged.filter(action=AccessLog.Action.VIEW)),
    }
    _panel_with(monkeypatch, values)
    read = beneficiary_page_get(user=field_staff, reference=person.reference)
    expected = Beneficiary.objects.annotate(**values).values(*values).get(pk=person.pk)
    assert expected["has_a_log"] is True and expected["has_a_view"] is False
    for name, value in expected.items():
        assert getattr(read, name) == value and type(getattr(read, name)) is type(value), name
    assert read.first_logged.tzinfo is not None


def test_a_panel_value_that_would_join_a_table_is_refused_with_its_name(monkeypatch, project, field_staff):
    """The page's query is the person's row alone: a value that joins (their city's region) or
    aggregates is refused by name, not sent as SQL that fails on every person's page."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db.models import Count, F

    from beneficiaries.selectors import beneficiary_page_get

    person = make_beneficiary(project, field_staff)
    for values in ({"region": F("city__region")}, {"enrolled": Count("enrollments")}):
        _panel_with(monkeypatch, values)
        with pytest.raises(ImproperlyConfigured, match=next(iter(values))):
            beneficiary_page_get(user=field_staff, reference=person.reference)


def test_references_are_per_project_and_never_reused(project, other_project, field_staff):
    first = make_beneficiary(project, field_staff)
    second = make_beneficiary(project, field_staff, first_name="Moussa", sex="M")
    elsewhere = make_beneficiary(other_project, field_staff, first_name="Ali", sex="M")
    assert (first.reference, second.reference, elsewhere.reference) == (
        "FM0390-000001",
        "FM0390-000002",
        "XX0001-000001",
    )
    second.delete()
    assert make_beneficiary(project, field_staff, first_name="Yao", sex="M").reference == "FM0390-000003"


def test_the_same_person_entered_again_is_offered_as_a_duplicate(project, field_staff, client_for):
    existing = make_beneficiary(project, field_staff, first_name="Mohammed", last_name="DIALLO", sex="M")
    client = client_for(field_staff)
    data = form_data(project, first_name="Diallo", last_name="Mohamed", sex="M", phone="")
    response = client.post(CREATE_URL, data)
    assert response.status_code == 200
    assert [c.beneficiary for c in response.context["candidates"]] == [existing]
    assert existing.reference in response.content.decode()
    assert Beneficiary.objects.count() == 1

    confirmed = client.post(CREATE_URL, {**data, "distinct_from": [existing.pk], "confirm_distinct": "1"})
    assert confirmed.status_code == 302
    new = Beneficiary.objects.exclude(pk=existing.pk).get()
    confirmation = DistinctPersonConfirmation.objects.get()
    assert (confirmation.beneficiary, confirmation.other, confirmation.confirmed_by) == (new, existing, field_staff)


@pytest.mark.parametrize(
    ("registered", "entered"),
    [
        (("Fatoumata", "Traoré"), ("Fatimata", "TRAORE")),
        (("Muhammad", "Diallo"), ("Mohamed", "Diallo")),
        (("Jean Pierre", "Kouassi"), ("Jean-Pierre", "Kouassi")),
    ],
)
def test_duplicate_detection_sees_through_transliteration_accents_and_spacing(
    project, field_staff, registered, entered
):
    from beneficiaries.duplicates import find_duplicates

    existing = make_beneficiary(project, field_staff, first_name=registered[0], last_name=registered[1])
    candidates = find_duplicates(first_name=entered[0], last_name=entered[1], date_of_birth=existing.date_of_birth)
    assert [c.beneficiary for c in candidates] == [existing]


# Cards are stored as typed by an import or the API (the form upper-cases them): in lower case,
# with letters Python and the databases put in upper case each their own way (é on SQLite, ß).
@pytest.mark.parametrize(
    ("stored", "entered"), [("ab12cd", "AB12CD"), ("AB12CD", "ab12cd"), ("é12ab", "É12AB"), ("ß1", "ß1")]
)
def test_a_card_number_written_in_another_case_is_found_whatever_the_name_and_birth_date(
    project, field_staff, stored, entered
):
    from beneficiaries.duplicates import find_duplicates

    existing = make_beneficiary(project, field_staff, residence_card_number=stored, date_of_birth=date(1980, 1, 1))
    candidates = find_duplicates(
        first_name="Khadim", last_name="Sy", date_of_birth=date(1999, 9, 9), residence_card_number=entered
    )
    assert [(c.beneficiary, c.reasons) for c in candidates] == [(existing, ("residence_card_number",))]


def test_a_namesake_sharing_no_birth_date_phone_or_card_is_never_a_candidate(project, field_staff):
    """Duplicates are looked up by birth date, phone and card only (duplicates.find_duplicates_of_many):
    the best a name can score without one of them, with the nationality, stays under the threshold.
    Raising a name's weight would need namesakes looked up too."""
    from beneficiaries.duplicates import THRESHOLD, find_duplicates, score_candidate

    existing = make_beneficiary(
        project, field_staff, first_name="Mohamed", last_name="Diallo", nationality="SN", date_of_birth=date(1990, 1, 1)
    )
    probe = {"first_name": "Mohamed", "last_name": "Diallo", "nationality": "SN", "date_of_birth": date(1991, 2, 2)}
    best_without_them = score_candidate(existing, **probe)
    assert best_without_them.reasons == ("name", "nationality") and best_without_them.score < THRESHOLD
    assert find_duplicates(**probe) == []
    assert [c.beneficiary for c in find_duplicates(**{**probe, "date_of_birth": date(1990, 1, 1)})] == [existing]


@pytest.mark.parametrize(
    "same",
    [
        {"phone": "+212699887766"},
        {"residence_card_number": "ZX123456"},
        {"first_name": "Mohammed", "last_name": "Diallo", "date_of_birth": date(1990, 5, 17)},
    ],
    ids=["phone", "card", "name and birth date"],
)
def test_registration_tells_nothing_of_a_match_in_a_project_the_user_is_not_in(
    same, project, other_project, field_staff, outsider, client_for
):
    """Field staff of FM.0390 probe with a phone, a card or a name and birth date: the page reads the
    same whether someone in another project has them or not; the match goes to the review list."""
    from beneficiaries.models import CrossProjectMatch

    theirs = make_beneficiary(
        other_project, outsider, sex="M", **{"first_name": "Mohammed", "last_name": "Diallo", **same}
    )
    probe = {"first_name": "Mohamed", "last_name": "Diallo", "sex": "M", **same}
    response = client_for(field_staff).post(CREATE_URL, form_data(project, **probe))
    assert response.status_code == 302  # registered at once, as with no match anywhere
    page = client_for(field_staff).get(response["Location"]).content.decode()
    for secret in ("XX.0001", theirs.reference, f'value="{theirs.pk}"'):
        assert secret not in page and secret not in response.content.decode()
    (match,) = CrossProjectMatch.objects.all()
    assert match.other == theirs and match.beneficiary.project == project and match.score >= 70
    assert "Aminata" not in match.reasons and "+212" not in match.reasons


def test_the_review_list_of_matches_across_projects_is_for_the_m_and_e_officers_of_either_project(
    project, other_project, field_staff, me_officer, outsider, client_for
):
    from beneficiaries.models import CrossProjectMatch

    make_beneficiary(other_project, outsider, phone="+212699887766")
    client_for(field_staff).post(CREATE_URL, form_data(project, phone="+212699887766", first_name="Awa"))
    match = CrossProjectMatch.objects.get()
    officer_elsewhere = UserFactory(role="me_officer", projects=[other_project])
    third = UserFactory(role="me_officer", projects=[ProjectFactory()])
    url = reverse("admin:beneficiaries_crossprojectmatch_changelist")
    for officer in (me_officer, officer_elsewhere):
        assert str(match) in client_for(officer).get(url).content.decode()
    assert match.beneficiary.reference not in client_for(third).get(url).content.decode()
    assert client_for(field_staff).get(url).status_code == 302  # field staff have no admin


def test_a_second_edit_from_a_stale_version_is_refused_and_the_first_is_kept(
    project, field_staff, me_officer, client_for
):
    beneficiary = make_beneficiary(project, field_staff)
    edit_url = reverse("beneficiaries:beneficiary-edit", args=[beneficiary.reference])
    stale = {**form_data(project), "version": beneficiary.version}
    del stale["project"]

    first = client_for(field_staff).post(edit_url, {**stale, "prior_occupation": "Coiffeuse"})
    assert first.status_code == 302
    second = client_for(me_officer).post(edit_url, {**stale, "prior_occupation": "Cuisinière"})
    assert second.status_code == 200
    assert "Someone else saved this record" in second.content.decode() or "Quelqu’un d’autre" in (
        second.content.decode()
    )
    beneficiary.refresh_from_db()
    assert beneficiary.prior_occupation == "Coiffeuse" and beneficiary.version == 2


def test_staff_of_another_project_get_404_on_detail_and_edit(project, field_staff, outsider, client_for):
    beneficiary = make_beneficiary(project, field_staff)
    client = client_for(outsider)
    for name in ("beneficiary-detail", "beneficiary-edit", "beneficiary-withdraw", "beneficiary-anonymize"):
        url = reverse(f"beneficiaries:{name}", args=[beneficiary.reference])
        assert client.get(url).status_code in (403, 404), name
    assert client.get(beneficiary.get_absolute_url()).status_code == 404
    assert beneficiary.reference not in client.get(reverse("beneficiaries:beneficiary-list")).content.decode()


def test_a_donor_reaches_no_page_of_the_registry(project, field_staff, donor, client_for):
    beneficiary = make_beneficiary(project, field_staff)
    client = client_for(donor)
    for url in (reverse("beneficiaries:beneficiary-list"), CREATE_URL, beneficiary.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 403
        assert beneficiary.last_name not in response.content.decode()


def test_anonymizing_wipes_identity_and_keeps_every_aggregate(project, field_staff, me_officer, client_for):
    people = [make_beneficiary(project, field_staff, residence_card_number=f"C{n}") for n in range(3)]
    people.append(make_beneficiary(project, field_staff, first_name="Yao", sex="M", nationality="CI"))

    def aggregates():
        rows = Beneficiary.objects.values_list("sex", "age_group", "nationality", "city_id", "project_id")
        return Counter(rows)

    before = aggregates()
    target = people[0]
    client = client_for(me_officer)
    url = reverse("beneficiaries:beneficiary-anonymize", args=[target.reference])
    assert "cannot be undone" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode() or client.get(url)
    assert client.post(url).status_code == 302

    target.refresh_from_db()
    assert target.status == Beneficiary.Status.ANONYMIZED
    for field in ("first_name", "last_name", "residence_card_number", "prior_occupation", "name_key", "search_name"):
        assert getattr(target, field) == "", field
    assert target.date_of_birth is None and str(target.phone) == ""
    assert (target.sex, target.nationality.code) == ("F", "SN")
    assert aggregates() == before
    for record in target.history.all():
        assert record.first_name == "" and record.date_of_birth is None and str(record.phone) == ""
    assert AccessLog.objects.filter(reference=target.reference, action=AccessLog.Action.ANONYMIZE).exists()


def test_only_me_officers_may_anonymize(project, field_staff, client_for):
    beneficiary = make_beneficiary(project, field_staff)
    url = reverse("beneficiaries:beneficiary-anonymize", args=[beneficiary.reference])
    assert client_for(field_staff).post(url).status_code == 403
    beneficiary.refresh_from_db()
    assert beneficiary.status == Beneficiary.Status.ACTIVE


def test_withdrawing_keeps_the_record_and_logs_it(project, field_staff, client_for):
    beneficiary = make_beneficiary(project, field_staff)
    url = reverse("beneficiaries:beneficiary-withdraw", args=[beneficiary.reference])
    client_for(field_staff).post(url, {"reason": "moved"})
    beneficiary.refresh_from_db()
    assert beneficiary.status == Beneficiary.Status.WITHDRAWN and beneficiary.first_name == "Aminata"
    assert AccessLog.objects.filter(action=AccessLog.Action.WITHDRAW, detail="moved").exists()


def test_a_withdrawal_reason_typed_as_free_text_is_refused_and_nothing_is_logged(project, field_staff, client_for):
    """The reason is chosen from a list: words about a person's health never reach the access log."""
    beneficiary = make_beneficiary(project, field_staff)
    url = reverse("beneficiaries:beneficiary-withdraw", args=[beneficiary.reference])
    response = client_for(field_staff).post(url, {"reason": "séropositive, hospitalisée"})
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
    beneficiary.refresh_from_db()
    assert beneficiary.status == Beneficiary.Status.ACTIVE
    assert not AccessLog.objects.filter(action=AccessLog.Action.WITHDRAW).exists()


def test_anonymizing_twice_is_refused(project, field_staff, me_officer):
    beneficiary = beneficiary_anonymize(beneficiary=make_beneficiary(project, field_staff), by=me_officer)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        beneficiary_anonymize(beneficiary=beneficiary, by=me_officer)


def _years_ago(years: int, days: int = 0) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - timedelta(days=days)).isoformat()


BAD_INPUT = [
    # (changes to a valid form, field with the error, French message, English message)
    ({"consent_processing": None}, "consent_processing", "consentement", "consent"),
    ({"date_of_birth": (date.today() + timedelta(days=3)).isoformat()}, "date_of_birth", "futur", "future"),
    ({"date_of_birth": _years_ago(14)}, "date_of_birth", "15 à 80", "15 to 80"),
    ({"date_of_birth": _years_ago(81, days=1)}, "date_of_birth", "15 à 80", "15 to 80"),
    ({"phone": "12345"}, "phone", "numéro", "phone number"),
    ({"first_name": "12345"}, "first_name", "lettres", "letters"),
    ({"last_name": "#!?"}, "last_name", "lettres", "letters"),
    ({"date_of_birth": "31/02/1990"}, "date_of_birth", "date valide", "valid date"),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("changes", "field", "french", "english"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    project, field_staff, client_for, language, changes, field, french, english
):
    data = form_data(project)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    url = CREATE_URL if language == "fr" else "/en" + CREATE_URL
    response = client_for(field_staff).post(url, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert (french if language == "fr" else english) in errors, errors
    assert not Beneficiary.objects.exists() and not AccessLog.objects.exists()


def test_a_residence_card_number_is_unique_per_project(project, other_project, field_staff, client_for):
    make_beneficiary(project, field_staff, residence_card_number="AB123456")
    response = client_for(field_staff).post(
        CREATE_URL, form_data(project, first_name="Moussa", sex="M", residence_card_number="ab 123456")
    )
    assert "carte de séjour" in " ".join(response.context["form"].errors["residence_card_number"])
    assert Beneficiary.objects.count() == 1
    make_beneficiary(other_project, field_staff, residence_card_number="AB123456")  # another project: fine


@pytest.mark.parametrize(
    ("first_name", "last_name"), [("عائشة", "بن علي"), ("Aïcha", "N'Diaye"), ("Jean-Pierre", "O’Brien"), ("مُحَمَّد", "Ba")]
)
def test_names_in_arabic_script_and_with_apostrophes_or_hyphens_are_valid(
    project, field_staff, client_for, first_name, last_name
):
    response = client_for(field_staff).post(CREATE_URL, form_data(project, first_name=first_name, last_name=last_name))
    assert response.status_code == 302, response.context["form"].errors
    assert Beneficiary.objects.get().first_name == first_name


def test_search_finds_people_by_name_in_any_order_without_accents(project, field_staff, client_for):
    wanted = make_beneficiary(project, field_staff, first_name="Fatoumata", last_name="Traoré")
    make_beneficiary(project, field_staff, first_name="Awa", last_name="Sow", phone="+212661112233")
    client = client_for(field_staff)
    for query in ("traore fatou", "TRAORÉ", wanted.reference):
        rows = list(client.get(reverse("beneficiaries:beneficiary-list"), {"q": query}).context["object_list"])
        assert rows == [wanted], query
    by_phone = client.get(reverse("beneficiaries:beneficiary-list"), {"q": "0661112233"}).context["object_list"]
    assert [row.last_name for row in by_phone] == ["Sow"]


def test_filters_narrow_the_list_and_a_bad_filter_value_is_explained(project, field_staff, client_for):
    make_beneficiary(project, field_staff)
    make_beneficiary(project, field_staff, first_name="Yao", sex="M", nationality="CI")
    client = client_for(field_staff)
    men = client.get(reverse("beneficiaries:beneficiary-list"), {"sex": "M"}).context["object_list"]
    assert [row.first_name for row in men] == ["Yao"]
    bad = client.get(reverse("beneficiaries:beneficiary-list"), {"sex": "X"})
    assert bad.status_code == 200 and "sex" in bad.context["filter"].form.errors


def _add_copies(template, count: int, offset: int) -> None:
    rows = []
    for number in range(offset, offset + count):
        values = {f.attname: getattr(template, f.attname) for f in Beneficiary._meta.concrete_fields}
        values.update(id=None, reference=f"FM0390-9{number:05d}", residence_card_number=f"X{number}")
        rows.append(Beneficiary(**values))
    Beneficiary.objects.bulk_create(rows)
    data_changed.send(sender=Beneficiary)  # as the portal's own bulk writes (imports) do


def test_the_counts_kept_for_a_list_follow_the_projects_one_joins(project, other_project, field_staff, client_for):
    make_beneficiary(project, field_staff)
    make_beneficiary(other_project, field_staff)
    client = client_for(field_staff)
    url = reverse("beneficiaries:beneficiary-list")
    assert client.get(url).context["paginator"].count == 1
    # The list's SQL scopes by the user's memberships: the same SQL before and after one more.
    Membership.objects.create(user=field_staff, project=other_project)
    assert client.get(url).context["paginator"].count == 2


def test_each_reader_of_the_list_is_offered_and_may_choose_only_the_cities_of_their_projects(
    project, field_staff, client_for
):
    """The filters' form class is kept per reader: one reader's city choices never serve another,
    and joining a project offers its country's cities at once."""
    senegal = ProjectFactory(code="SN.0001", country="SN")
    dakar = Location.objects.create(name="Dakar", kind=Location.Kind.CITY, country="SN")
    rabat = make_beneficiary(project, field_staff).city
    in_senegal = UserFactory(username="dakar-staff", role=Role.FIELD_STAFF, projects=[senegal])
    url = reverse("beneficiaries:beneficiary-list")

    def offered(user):
        """The cities the page offers, as drawn (the filters are kept as HTML) and as checked."""
        response = client_for(user).get(url)
        drawn = set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', response.content.decode()))
        checked = {city.name for city in response.context["filter"].form.fields["city"].queryset}
        assert drawn == checked, (drawn, checked)
        return checked

    for _ in range(2):  # the second time from the kept class
        assert offered(field_staff) == {rabat.name} and offered(in_senegal) == {"Dakar"}
    refused = client_for(field_staff).get(url, {"city": dakar.pk}).context["filter"].form
    assert "city" in refused.errors
    Membership.objects.create(user=field_staff, project=senegal)
    assert offered(field_staff) == {rabat.name, "Dakar"}
    assert not client_for(field_staff).get(url, {"city": dakar.pk}).context["filter"].form.errors


def test_the_admin_counts_follow_the_projects_one_joins(project, other_project, field_staff, me_officer, client_for):
    make_beneficiary(project, field_staff)
    make_beneficiary(other_project, field_staff)
    client = client_for(me_officer)  # an M&E officer has staff status, and the admin scoped to their projects
    url = reverse("admin:beneficiaries_beneficiary_changelist")
    assert client.get(url).context["cl"].result_count == 1
    Membership.objects.create(user=me_officer, project=other_project)
    assert client.get(url).context["cl"].result_count == 2


def test_the_list_page_runs_the_same_number_of_queries_with_10_and_1000_people(project, field_staff, client_for):
    template = make_beneficiary(project, field_staff)
    client = client_for(field_staff)
    url = reverse("beneficiaries:beneficiary-list")
    client.get(url)  # warm the session

    _add_copies(template, 9, offset=0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).context["paginator"].count == 10
    _add_copies(template, 990, offset=10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).context["paginator"].count == 1000
    # session, user, permissions (2), groups, one COUNT, the page, the city filter's choices
    assert len(small) == len(large) <= 8
    assert sum("COUNT(" in query["sql"] for query in large.captured_queries) == 1

    # While the data stays the same, the count comes from the cache.
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).context["paginator"].count == 1000
    assert not any("COUNT(" in query["sql"] for query in again.captured_queries)


def test_field_staff_of_the_project_can_edit(project, field_staff, client_for):
    beneficiary = make_beneficiary(project, field_staff)
    data = {**form_data(project, phone="06 61 00 00 01"), "version": beneficiary.version}
    response = client_for(field_staff).post(
        reverse("beneficiaries:beneficiary-edit", args=[beneficiary.reference]), data
    )
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert str(beneficiary.phone) == "+212661000001"
    assert beneficiary.history.count() == 2
    assert AccessLog.objects.filter(action=AccessLog.Action.EDIT, detail="phone").exists()


def test_only_users_with_a_role_can_reach_the_registry(project, client_for):
    nobody = UserFactory(projects=[project])
    assert client_for(nobody).get(reverse("beneficiaries:beneficiary-list")).status_code == 403
    staff = UserFactory(role=Role.FIELD_STAFF, projects=[project])
    assert client_for(staff).get(reverse("beneficiaries:beneficiary-list")).status_code == 200


def test_an_import_preview_names_no_one_of_another_project_and_its_commit_files_the_match(
    project, other_project, field_staff, outsider, me_officer
):
    from beneficiaries import imports
    from beneficiaries.models import CrossProjectMatch

    theirs = make_beneficiary(other_project, outsider, phone="+212699887766")
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Téléphone;Consentement au traitement;"
        "Date du consentement\nNdiaye;Awa;F;14/03/1992;SN;Rabat;0699887766;oui;10/01/2024\n"
    ).encode()
    preview = imports.preview(project=project, filename="liste.csv", content=content)
    assert preview.can_commit and not preview.flagged  # nothing to show the importer
    assert theirs.reference not in str([row.likely_duplicates for row in preview.rows])
    (person,) = imports.commit(project=project, result=preview, by=me_officer)
    assert CrossProjectMatch.objects.get().other == theirs
    assert CrossProjectMatch.objects.get().beneficiary.pk == person.pk


def test_the_person_page_and_its_history_read_for_someone_with_no_history_rows(client_for, project, field_staff):
    """People written in bulk (an import of old records, the benchmark's generated people) have no
    history row: their page and their history must still read (the page gave a 500)."""
    beneficiary = make_beneficiary(project, field_staff)
    beneficiary.history.all().delete()
    client = client_for(field_staff)
    response = client.get(beneficiary.get_absolute_url())
    assert response.status_code == 200
    assert beneficiary.reference in response.content.decode()
    response = client.get(reverse("beneficiaries:beneficiary-history", args=[beneficiary.reference]))
    assert response.status_code == 200
    assert "Aucune modification enregistrée pour cette personne." in response.content.decode()


def test_the_history_lists_each_version_newest_first_with_the_fields_it_changed(
    client_for, project, field_staff, me_officer
):
    beneficiary = make_beneficiary(project, field_staff)
    beneficiary = beneficiary_update(
        beneficiary=beneficiary, data={"phone": "+212661000001"}, version=beneficiary.version, by=field_staff
    )
    beneficiary_update(
        beneficiary=beneficiary, data={"prior_occupation": "Menuisier"}, version=beneficiary.version, by=me_officer
    )
    client = client_for(field_staff)
    page = client.get(beneficiary.get_absolute_url()).content.decode()
    history_url = reverse("beneficiaries:beneficiary-history", args=[beneficiary.reference])
    assert f'href="{history_url}"' in page  # the person's page leads to it
    response = client.get(history_url)
    history = response.context["history"]
    assert [(entry["what"], entry["changed"], entry["record"].history_user) for entry in history] == [
        ("Modifié", ["métier avant l'arrivée"], me_officer),
        ("Modifié", ["téléphone"], field_staff),
        ("Enregistré", [], field_staff),
    ]
    assert "métier avant l&#x27;arrivée" in response.content.decode()
    # Reading who changed what is reading the person's record: logged, without personal data.
    log = AccessLog.objects.filter(action=AccessLog.Action.VIEW, detail="history").get()
    assert (log.user, log.reference) == (field_staff, beneficiary.reference)


def test_the_history_is_scoped_like_the_person(client_for, project, field_staff, outsider):
    """Someone outside the person's project gets a 404, as on the person's page, and nothing is logged."""
    beneficiary = make_beneficiary(project, field_staff)
    url = reverse("beneficiaries:beneficiary-history", args=[beneficiary.reference])
    assert client_for(outsider).get(url).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW).exists()


def test_the_list_sorts_by_a_column_and_falls_back_on_a_sort_or_page_it_does_not_know(project, field_staff, client_for):
    first = make_beneficiary(project, field_staff, last_name="Zongo")
    second = make_beneficiary(project, field_staff, last_name="Ba", first_name="Awa", phone="+212661112299")
    client = client_for(field_staff)
    url = reverse("beneficiaries:beneficiary-list")

    def names(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [person.last_name for person in response.context["object_list"]]

    assert names() == ["Ba", "Zongo"]  # the newest registration first
    assert names(sort="name") == ["Ba", "Zongo"]
    assert names(sort="-name") == ["Zongo", "Ba"]
    assert names(sort="reference") == [first.last_name, second.last_name]
    page = client.get(url, {"sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in page and "?sort=-name" in page
    for bad in ({"sort": "password"}, {"sort": "-"}, {"page": "abc"}, {"page": "999"}, {"page": "-1"}):
        assert names(**bad) == ["Ba", "Zongo"], bad


def test_the_list_escapes_what_it_shows(project, field_staff, client_for):
    city = Location.objects.create(name='<img src=x onerror="alert(1)">', kind=Location.Kind.CITY)
    make_beneficiary(project, field_staff, city=city)
    page = client_for(field_staff).get(reverse("beneficiaries:beneficiary-list")).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_a_row_of_the_list_shows_each_column_in_the_readers_language(project, field_staff, client_for):
    city = Location.objects.create(name="Oujda", kind=Location.Kind.CITY)
    person = make_beneficiary(
        project, field_staff, first_name="Yao", last_name="Kouamé", sex="M", nationality="CI", city=city
    )
    page = client_for(field_staff).get(reverse("beneficiaries:beneficiary-list")).content.decode()
    row = page[page.index(f"<bdi>{person.reference}</bdi>") :].split("</tr>")[0]
    cells = [cell.split(">", 1)[1] for cell in row.split("<td")[1:]]
    assert cells == [
        "KOUAMÉ Yao</td>",
        "Homme</td>",
        f"{person.get_age_group_display()}</td>",
        "Côte d&#x27;Ivoire</td>",
        "Oujda</td>",
        "Actif</td>",
        f"{'Oui' if person.consent_sharing else 'Non'}</td>",
    ]


def test_nobody_deletes_a_person_in_the_admin_not_even_a_superuser(project, field_staff, admin_user, client):
    """People leave the registry by withdrawal or anonymization (which keep the totals and the
    history), never by a hard delete: not by the delete page, not by the bulk action."""
    person = make_beneficiary(project, field_staff)
    client.force_login(admin_user)
    delete_url = reverse("admin:beneficiaries_beneficiary_delete", args=[person.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:beneficiaries_beneficiary_changelist")
    assert "delete_selected" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"})
    assert Beneficiary.objects.filter(pk=person.pk).exists()
    assert not Group.objects.filter(permissions__codename="delete_beneficiary").exists()
