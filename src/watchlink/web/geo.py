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
_NUMBER = re.compile(r"-?\d+")
MARGIN = 40
MIN_VIEW = 240


@dataclass(frozen=True, slots=True)
class CountryShape:
    """One country on the map: code, name, outline and the point arrows start from."""

    code: str
    name: str
    d: str
    cx: int
    cy: int
    box: tuple[int, int, int, int]  # left, top, right, bottom


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
    view: tuple[int, int, int, int]  # the viewBox: the marked countries and around them


@cache
def country_shapes() -> tuple[tuple[int, int], tuple[CountryShape, ...]]:
    """The map's size and its countries, read once from the shipped SVG."""
    text = read_static("map.svg").decode("utf-8")
    size = _VIEWBOX.search(text)
    assert size is not None, "map.svg has a viewBox"
    shapes = tuple(
        CountryShape(m["code"], m["name"], m["d"], int(m["cx"]), int(m["cy"]), _box(m["d"]))
        for m in _PATH.finditer(text)
    )
    return (int(size[1]), int(size[2])), shapes


def _box(d: str) -> tuple[int, int, int, int]:
    numbers = [int(n) for n in _NUMBER.findall(d)]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _view(marked: Iterable[CountryShape], width: int, height: int) -> tuple[int, int, int, int]:
    """A viewBox around ``marked`` with a margin, no narrower than ``MIN_VIEW`` wide, in
    the map's proportions; the whole map when nothing is marked."""
    boxes = [s.box for s in marked]
    if not boxes:
        return 0, 0, width, height
    left = min(b[0] for b in boxes) - MARGIN
    top = min(b[1] for b in boxes) - MARGIN
    right = max(b[2] for b in boxes) + MARGIN
    bottom = max(b[3] for b in boxes) + MARGIN
    w = max(right - left, (bottom - top) * width // height, MIN_VIEW)
    h = w * height // width
    x = max(0, min((left + right - w) // 2, width - w))
    y = max(0, min((top + bottom - h) // 2, height - h))
    return x, y, min(w, width), min(h, height)


def map_view(countries: Iterable[str], legs: Iterable[tuple[str, str, str]]) -> MapView:
    """The map with ``countries`` marked and ``legs`` (from, to, label) as arrows."""
    (width, height), shapes = country_shapes()
    by_code = {s.code: s for s in shapes}
    wanted = {c.upper() for c in countries if c}
    journeys = []
    for start, end, label in legs:
        wanted |= {start.upper(), end.upper()}
        a, b = by_code.get(start.upper()), by_code.get(end.upper())
        if a is not None and b is not None and a is not b:
            journeys.append(Journey(a.cx, a.cy, b.cx, b.cy, label))
    marked = frozenset(wanted & by_code.keys())
    view = _view((by_code[c] for c in marked), width, height)
    return MapView(width, height, shapes, marked, journeys, sorted(wanted - by_code.keys()), view)
