"""Forms of a project's updates: the text, and a photo with the people it shows."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, form_row

from .models import Update, UpdatePhoto


class UpdateForm(forms.ModelForm):
    # The version the form was opened on: a save over someone else's newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Update
        fields = ["title", "happened_on", "text"]
        widgets = {"happened_on": DateInput(), "text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(form_row("title", "happened_on"), "text", "version")


class PhotoForm(forms.ModelForm):
    image = forms.ImageField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 10 MB. Its location and camera data are removed.")
    )
    references = forms.CharField(
        label=_("References of the people shown"),
        required=False,
        max_length=500,
        help_text=_("For example FM0390-000012, FM0390-000031. Each must have consented to photos."),
    )

    class Meta:
        model = UpdatePhoto
        fields = ["caption", "shows_people"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("image", "caption", "shows_people", "references")

    def clean_references(self) -> list[str]:
        return [part for part in re.split(r"[\s,;]+", self.cleaned_data["references"]) if part]
