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


# A stored name this long fits every column (title 200, path 255 with its folders)
# and every file system (255 bytes a name, in UTF-8 up to 4 bytes a letter).
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 150


def attachment_name(name: str) -> str:
    """A safe name to store an uploaded file under, and to show it by.

    Any folder part (/ or \\) is dropped, white space collapsed, control characters
    removed, and a long name shortened in the middle of its stem: the extension
    (which `attachment_validate` checked) is kept.
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split())
    name = "".join(char for char in name if char.isprintable()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    extension = f".{extension[:10]}" if extension else ""
    stem = stem[: MAX_NAME_CHARS - len(extension)]
    while stem and len((stem + extension).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip(" .") or "plik") + extension
