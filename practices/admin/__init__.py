"""The editors' tool: practices with partners and links, moderation, history, import.

One module per part; importing this package registers every admin page.
"""

from practices.admin import practices, vocabularies

__all__ = ["practices", "vocabularies"]
