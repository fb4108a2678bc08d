from django import template

from ..report import project_report

register = template.Library()


@register.inclusion_tag("reports/_project_results.html")
def project_results(project):
    """The results framework of a project with its actuals, safe to show to anyone."""
    return {"lines": project_report(project).results, "project": project}
