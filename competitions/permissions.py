"""Who may open the jury's pages, declared once: a seat on that edition's jury.

For the jury's views (`competitions.views.jury`): each declares the seat it
needs (`seat_required`) and none checks a seat by hand.
"""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from competitions.jury_selectors import jury_seat
from competitions.models import JuryMember

SEATS = ("member", "chair")


class JurySeatRefused(PermissionDenied):
    """The user has no seat that opens the page; str() is a message for them."""


def jury_seat_for(user, *, edition_slug: str, chair: bool = False) -> JuryMember:
    """The user's seat on the jury of this edition, which is what lets them in.

    `chair=True` asks for the chair's seat. Raises `JurySeatRefused`, saying
    why, when the user (an anonymous one too) has no such seat: the seat is
    the permission, so a caller never looks at `is_chair` itself.
    """
    member = jury_seat(user, edition_slug=edition_slug)
    if member is None:
        raise JurySeatRefused(_("Nie zasiadasz w jury tej edycji."))
    if chair and not member.is_chair:
        raise JurySeatRefused(_("Tę stronę widzi tylko przewodniczący jury."))
    return member


class JurySeatRequiredMixin(AccessMixin):
    """A page for the jury of the edition in the address (its `edition_slug`).

    `seat_required` is "member" (anyone on that jury) or "chair". An anonymous
    visitor is sent to sign in; a signed-in user without the seat gets the
    jury's 403 page saying why. Past the check the view has `self.member`
    (the seat) and `self.edition`.
    """

    seat_required = "member"
    forbidden_template_name = "competitions/jury/forbidden.html"

    def dispatch(self, request, *args, **kwargs):
        if self.seat_required not in SEATS:
            raise ImproperlyConfigured(
                f"{type(self).__name__}.seat_required must be one of {SEATS}, "
                f"not {self.seat_required!r}."
            )
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.member = jury_seat_for(
                request.user,
                edition_slug=kwargs["edition_slug"],
                chair=self.seat_required == "chair",
            )
        except JurySeatRefused as refusal:
            return TemplateResponse(
                request, self.forbidden_template_name, {"message": str(refusal)}, status=403
            )
        self.edition = self.member.edition
        request.has_jury_seat = True  # the site header asks (competitions_tags)
        return super().dispatch(request, *args, **kwargs)
