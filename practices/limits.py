"""How many submissions one address may send an hour (SUBMISSIONS_PER_HOUR), shared by
the catalogue's submission form and a competition's entry forms.

Only accepted submissions count. A view takes a slot before it looks at the form
(one atomic increment, so a burst of requests cannot all see the last free slot)
and gives it back when the form is refused for its errors, or when the limit is
already reached. A refused form is shown again with what was typed and why, with
429 and Retry-After.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from core.ratelimit import client_address, rate_limit_hit, window_undo

SCOPE = "submit"
WINDOW_SECONDS = 3600


def submission_slot_take(request) -> int | None:
    """Reserve one of the address's submissions: None when reserved (keep it, or give it
    back with `submission_slot_release`), or the seconds until the address may send
    again (nothing is reserved then)."""
    allowed, retry_after = rate_limit_hit(
        SCOPE,
        client_address(request),
        limit=settings.SUBMISSIONS_PER_HOUR,
        window_seconds=WINDOW_SECONDS,
    )
    if allowed:
        return None
    submission_slot_release(request)
    return retry_after


def submission_slot_release(request) -> None:
    """Give back a slot taken by `submission_slot_take` for a submission not accepted."""
    window_undo(SCOPE, client_address(request), window_seconds=WINDOW_SECONDS)


def submission_limit_message(retry_after: int) -> str:
    return _(
        "Zbyt wiele zgłoszeń z tego adresu w ostatniej godzinie. Spróbuj ponownie za "
        "%(minutes)s min. To, co wpisano, zostało w formularzu; plik trzeba wybrać ponownie."
    ) % {"minutes": max(1, retry_after // 60)}


def limited(response, retry_after: int):
    """`response` (the form shown again) as the answer to a request over the limit."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response
