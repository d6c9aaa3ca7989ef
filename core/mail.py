"""E-mail that follows a write: built inside the write's transaction, sent after it.

A notification is part of the action that causes it (a submission, an entry), so
its message is made and checked while the transaction is open: a header that
could not be sent (a line break in a subject) rolls the write back instead of
failing after it. It is sent only once the write is committed, and a mail server
that is down is logged, never shown to the visitor as an error: what they sent
is saved once, and a retry would only duplicate it.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger(__name__)


def mail_on_commit(
    *, subject: str, body: str, to: list[str], from_email: str | None = None
) -> EmailMessage:
    """Check the message now (BadHeaderError inside the transaction) and send it when the
    current transaction commits; a failure to send is logged as an error."""
    message = EmailMessage(subject=subject, body=body, from_email=from_email, to=to)
    message.message()  # builds the headers: an unsafe one raises here, before the commit
    transaction.on_commit(lambda: _send(message))
    return message


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:
        # The write it reports is committed; the editors still see it in the admin.
        logger.exception("E-mail not sent: %s (to %s recipients)", message.subject, len(message.to))
