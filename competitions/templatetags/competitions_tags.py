"""Template tags of the competitions app for the site's shared templates."""

from django import template

from competitions.jury_selectors import user_has_jury_seat

register = template.Library()


@register.simple_tag(takes_context=True)
def has_jury_seat(context) -> bool:
    """Whether the signed-in user sits on a jury: the header links them to the jury's pages.

    Asked once per request; a jury page that has already found the seat says
    so on the request (`request.has_jury_seat`), so it costs no query there.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(request, "has_jury_seat"):
        request.has_jury_seat = user_has_jury_seat(user)
    return request.has_jury_seat
