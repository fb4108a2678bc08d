"""A form sent back with errors, in Chromium: the summary takes the focus (a screen reader reads it
first) and each of its links moves the focus to the field it names."""

from beneficiaries.models import Beneficiary


def test_the_error_summary_takes_the_focus_and_leads_to_each_field(live_server, sign_in, field_staff, project):
    page = sign_in(field_staff)
    page.goto(f"{live_server.url}/beneficiaries/new/")
    page.locator("#id_first_name").fill("Awa")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer", exact=True).click()
    assert page.title().startswith("Erreur : ")
    assert page.evaluate("document.activeElement.dataset.errorSummary") == ""  # the summary has the focus
    links = page.locator("[data-error-summary] a")
    assert "consentement" in links.first.inner_text()  # in the order of the page: consent first
    link = page.get_by_role("link", name="Saisissez le nom tel qu’il figure sur la carte de séjour.")
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_last_name"
    assert not Beneficiary.objects.exists()
