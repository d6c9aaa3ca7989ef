"""Template tags for what every page shows about the site itself (the footer)."""

from django import template

from core.sitepages import contact

register = template.Library()


@register.simple_tag
def site_contact() -> dict[str, str]:
    """Who runs the site and how to reach them, from settings (no query, no request):
    also on the pages rendered without a request's context (the 503 page)."""
    return contact()
