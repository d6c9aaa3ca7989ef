"""A tile-grid map of Europe and its neighbours: one square per country, roughly in place.

Drawn as SVG on the server, so the overview needs no map library, no tiles from
the network and no JavaScript; its text alternative is the table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django_countries import countries

from core.text import polish_sort_key

# (column, row) of each country's tile.
POSITIONS: dict[str, tuple[int, int]] = {
    "IS": (0, 0), "NO": (4, 0), "SE": (5, 0), "FI": (6, 0),
    "EE": (6, 1),
    "IE": (0, 2), "GB": (1, 2), "DK": (4, 2), "LV": (6, 2),
    "NL": (2, 3), "DE": (3, 3), "PL": (4, 3), "LT": (5, 3), "BY": (6, 3), "RU": (7, 3),
    "BE": (2, 4), "LU": (3, 4), "CZ": (4, 4), "SK": (5, 4), "UA": (6, 4),
    "FR": (1, 5), "CH": (2, 5), "AT": (3, 5), "HU": (4, 5), "RO": (5, 5), "MD": (6, 5),
    "PT": (0, 6), "ES": (1, 6), "IT": (2, 6), "SI": (3, 6), "HR": (4, 6), "RS": (5, 6),
    "BG": (6, 6), "GE": (8, 6), "AM": (9, 6), "AZ": (10, 6),
    "MT": (2, 7), "BA": (4, 7), "ME": (5, 7), "MK": (6, 7), "TR": (7, 7),
    "AL": (5, 8), "GR": (6, 8), "CY": (7, 8),
    "IL": (8, 9), "PS": (9, 9), "JO": (10, 9),
}  # fmt: skip

TILE = 44
GAP = 4


@dataclass
class Tile:
    code: str
    name: str
    count: int
    level: int
    x: int
    y: int
    url: str


def _level(count: int, largest: int) -> int:
    """0 for none, then four steps on a logarithmic scale up to the largest count.

    Counts are skewed (one country holds most practices); a linear scale would
    paint every other country the same pale shade.
    """
    if count <= 0:
        return 0
    if largest <= 1:
        return 4
    return min(4, 1 + int(3 * math.log(count) / math.log(largest)))


def tile_map(counts: dict[str, int], url_for) -> tuple[list[Tile], list[Tile], dict]:
    """Tiles on the grid, countries off it (listed under the map), and the SVG size."""
    largest = max(counts.values(), default=0)
    on_map, off_map = [], []
    for code in set(POSITIONS) | set(counts):
        count = counts.get(code, 0)
        column, row = POSITIONS.get(code, (-1, -1))
        tile = Tile(
            code=code,
            name=str(countries.name(code)),
            count=count,
            level=_level(count, largest),
            x=column * (TILE + GAP),
            y=row * (TILE + GAP),
            url=url_for(code) if count else "",
        )
        if code in POSITIONS:
            on_map.append(tile)
        elif count:
            off_map.append(tile)
    columns = max(c for c, _r in POSITIONS.values()) + 1
    rows = max(r for _c, r in POSITIONS.values()) + 1
    size = {"width": columns * (TILE + GAP), "height": rows * (TILE + GAP), "tile": TILE}
    off_map.sort(key=lambda tile: polish_sort_key(tile.name))
    return on_map, off_map, size
