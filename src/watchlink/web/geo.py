"""The map of countries crossed: the shipped SVG's country shapes, marked for one subject.

``static/map.svg`` is derived from Natural Earth's 1:110m countries (public domain):
North America, Europe and the Middle East, simplified. Each country is a ``path`` with
its ISO code and a centre, so a journey can be drawn as arrows between centres.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from watchlink.web.assets import read_static

__all__ = ["CountryShape", "Journey", "MapView", "country_shapes", "map_view"]

_PATH = re.compile(
    r'<path id="c-[a-z]+" data-code="(?P<code>[A-Z]{2})" data-name="(?P<name>[^"]*)" '
    r'data-cx="(?P<cx>-?\d+)" data-cy="(?P<cy>-?\d+)" d="(?P<d>[^"]+)"/>'
)
_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


@dataclass(frozen=True, slots=True)
class CountryShape:
    """One country on the map: code, name, outline and the point arrows start from."""

    code: str
    name: str
    d: str
    cx: int
    cy: int


@dataclass(frozen=True, slots=True)
class Journey:
    """A leg between two countries on the map, drawn as an arrow."""

    x1: int
    y1: int
    x2: int
    y2: int
    label: str


@dataclass(frozen=True, slots=True)
class MapView:
    """What the template draws: every shape, which are marked, and the legs."""

    width: int
    height: int
    shapes: Sequence[CountryShape]
    marked: frozenset[str]
    journeys: Sequence[Journey]
    off_map: Sequence[str]


@cache
def country_shapes() -> tuple[tuple[int, int], tuple[CountryShape, ...]]:
    """The map's size and its countries, read once from the shipped SVG."""
    text = read_static("map.svg").decode("utf-8")
    size = _VIEWBOX.search(text)
    assert size is not None, "map.svg has a viewBox"
    shapes = tuple(
        CountryShape(m["code"], m["name"], m["d"], int(m["cx"]), int(m["cy"]))
        for m in _PATH.finditer(text)
    )
    return (int(size[1]), int(size[2])), shapes


def map_view(countries: Iterable[str], legs: Iterable[tuple[str, str, str]]) -> MapView:
    """The map with ``countries`` marked and ``legs`` (from, to, label) as arrows."""
    (width, height), shapes = country_shapes()
    by_code = {s.code: s for s in shapes}
    wanted = {c.upper() for c in countries if c}
    journeys = []
    for start, end, label in legs:
        a, b = by_code.get(start.upper()), by_code.get(end.upper())
        if a is not None and b is not None and a is not b:
            journeys.append(Journey(a.cx, a.cy, b.cx, b.cy, label))
            wanted |= {a.code, b.code}
    return MapView(
        width,
        height,
        shapes,
        frozenset(wanted & by_code.keys()),
        journeys,
        sorted(wanted - by_code.keys()),
    )
