"""Content in two languages: models keep an optional English twin of a field (`name_en`)."""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    """`obj.<field>_en` when the interface is English and it is filled, else `obj.<field>`."""
    if (get_language() or "pl").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)
