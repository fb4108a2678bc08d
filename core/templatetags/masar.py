"""Template filters for numbers and money in the active language (``core.formatting`` does the work),
and an include that takes its values as a dict."""

from django import template

from core import formatting

register = template.Library()
register.filter("money", formatting.money)
register.filter("number", formatting.number)
register.filter("percent", formatting.percent)


@register.simple_tag(takes_context=True)
def include_with(context, template_name: str, values: dict):
    """``{% include %}`` with its values given as one dict (a person's page panel, whose context an
    upper app builds): drawn inside the page's own context, so the context processors do not run
    again as they would for a template rendered apart."""
    template = context.template.engine.get_template(template_name)
    with context.push(values):
        return template.render(context)
