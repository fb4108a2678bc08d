from django import template

from ..results import project_results as results_of

register = template.Library()


@register.inclusion_tag("reports/_project_results.html")
def project_results(project):
    """The results framework of a project with its actuals, safe to show to anyone."""
    return {"lines": results_of(project), "project": project}
