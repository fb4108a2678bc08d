from django import template

from ..selectors import beneficiary_activities as activities_of

register = template.Library()


@register.inclusion_tag("trainings/_beneficiary_activities.html", takes_context=True)
def beneficiary_activities(context, beneficiary):
    """A person's trainings, follow-ups and business support, for their page."""
    return {**activities_of(beneficiary=beneficiary), "beneficiary": beneficiary, "perms": context["perms"]}
