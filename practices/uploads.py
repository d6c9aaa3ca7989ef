"""Checks on uploaded attachments: size and real type (by content, not by name)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

# (content type, allowed name endings, how the file starts)
ALLOWED_TYPES: list[tuple[str, tuple[str, ...], tuple[bytes, ...]]] = [
    ("application/pdf", (".pdf",), (b"%PDF-",)),
    ("image/png", (".png",), (b"\x89PNG\r\n\x1a\n",)),
    ("image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        (b"PK\x03\x04",),
    ),
    ("application/vnd.oasis.opendocument.text", (".odt",), (b"PK\x03\x04",)),
]


def attachment_validate(upload) -> str:
    """Return the file's content type, or raise ValidationError with a message for people.

    The type is decided by the file's first bytes *and* its name: a renamed
    executable is refused even if it is called "raport.pdf".
    """
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Plik „%(name)s” ma %(size)s; największy dopuszczalny to %(max)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(MAX_ATTACHMENT_BYTES),
            },
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    name = upload.name.lower()
    for content_type, endings, signatures in ALLOWED_TYPES:
        if name.endswith(endings) and head.startswith(signatures):
            return content_type
    raise ValidationError(
        _(
            "Plik „%(name)s” nie jest dokumentem PDF, DOCX, ODT ani obrazem JPG lub PNG "
            "(sprawdzamy zawartość pliku, nie tylko jego nazwę)."
        )
        % {"name": upload.name},
        code="bad_type",
    )
