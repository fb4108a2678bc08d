"""The one-pass select renders what Django's own Select does: same options, same selection."""

from django import forms
from django_countries import countries

from core.widgets import LongSelect


class CountryForm(forms.Form):
    nationality = forms.ChoiceField(choices=[("", "Toutes"), *countries], widget=LongSelect)


def test_a_long_select_renders_like_djangos_select():
    ours = str(CountryForm(initial={"nationality": "CI"})["nationality"])
    form = CountryForm(initial={"nationality": "CI"})
    form.fields["nationality"].widget = forms.Select(choices=form.fields["nationality"].choices)
    django = str(form["nationality"])
    option = '<option value="{}"{}>'
    for code in ("", "CI", "SN", "MA"):
        selected = " selected" if code == "CI" else ""
        assert option.format(code, selected) in ours
        assert option.format(code, selected) in django
    assert ours.count("<option") == django.count("<option") > 240
    assert 'name="nationality"' in ours and 'id="id_nationality"' in ours


def test_a_long_select_escapes_its_labels():
    widget = LongSelect(choices=[("x", "<b>Côte d'Ivoire</b>")])
    html = widget.render("country", "x")
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_a_long_select_writes_option_groups_and_a_model_choice():
    widget = LongSelect(choices=[("", "All"), ("Afrique", [("SN", "Sénégal"), ("CI", "Côte d'Ivoire")])])
    html = widget.render("country", "CI", attrs={"id": "id_country", "required": True})
    assert '<optgroup label="Afrique"><option value="SN">Sénégal</option>' in html
    assert '<option value="CI" selected>' in html and 'id="id_country"' in html and "required" in html
