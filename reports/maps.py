"""Where a project works, drawn on the server as SVG from Natural Earth's country outlines.

The outlines are world-atlas' TopoJSON (``atlas/``, vendored with its note). The frame is the
project's located places with a margin (the whole country when none has coordinates); the
countries the project serves are filled, their neighbours drawn lightly for context. Each place is
a point whose area follows the protected count given for it: a count hidden as "< 5" gets the
smallest point and its marker, never a size that would tell more than the table beside it.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.formatting import number

ATLAS = Path(__file__).resolve().parent / "atlas" / "countries-50m.json"
WIDTH = 360  # viewBox units: about one CSS pixel each on a phone, so its text reads at 14 px
MARGIN_DEGREES = 1.2
MIN_SPAN_DEGREES = 4.0
SMALLEST_RADIUS, LARGEST_RADIUS = 4.0, 16.0
LABEL_SIZE = 16  # the labels' font size, in viewBox units
MIN_STEP = 0.4  # points of an outline closer than this (in viewBox units) are one point


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    value: int | str | None  # a count, a marker ("< 5", "…"), or None where nothing is counted


@dataclass
class Point:
    name: str
    x: float
    y: float
    radius: float
    text: str  # the count as shown, or the marker
    label_x: float = 0.0
    label_y: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.name} · {self.text}" if self.text else self.name


@dataclass
class Map:
    width: int
    height: int
    served: list[str]  # SVG path data of the countries the project serves
    around: list[str]  # and of their neighbours in the frame
    points: list[Point]
    counted: bool  # the points carry counts (a release's or live figures), not only places

    @property
    def places_by_name(self) -> list[Point]:
        return sorted(self.points, key=lambda point: point.name)


@cache
def _topology() -> tuple[dict, list[list[tuple[float, float]]]]:
    """The countries by ISO numeric code, and every arc as absolute (longitude, latitude)."""
    data = json.loads(ATLAS.read_text())
    (scale_x, scale_y), (shift_x, shift_y) = data["transform"]["scale"], data["transform"]["translate"]
    arcs = []
    for arc in data["arcs"]:  # quantized and delta-encoded
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    countries = {g["id"]: g for g in data["objects"]["countries"]["geometries"] if "id" in g}
    return countries, arcs


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    _, arcs = _topology()

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ring(indexes) for polygon in polygons for indexes in polygon]


@cache
def _country_bounds() -> dict[str, tuple[float, float, float, float]]:
    countries, _ = _topology()
    return {code: _bounds([point for ring in _rings(g) for point in ring]) for code, g in countries.items()}


def _bounds(points) -> tuple[float, float, float, float]:
    longitudes, latitudes = [p[0] for p in points], [p[1] for p in points]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def project_map(*, country_codes: list[str], places: list[Place]) -> Map | None:
    """The map of ``places`` in the countries of ``country_codes`` (ISO numeric), or None when
    there is nothing to draw it around."""
    countries, _ = _topology()
    served = [countries[code] for code in country_codes if code in countries]
    if places:
        west, south, east, north = _bounds([(p.longitude, p.latitude) for p in places])
    elif served:
        west, south, east, north = _bounds([point for g in served for ring in _rings(g) for point in ring])
    else:
        return None
    # A frame around the places, never narrower than a region's worth of degrees.
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    half_x = max(east - west, MIN_SPAN_DEGREES) / 2 + MARGIN_DEGREES
    half_y = max(north - south, MIN_SPAN_DEGREES * 0.6) / 2 + MARGIN_DEGREES
    west, east, south, north = middle_x - half_x, middle_x + half_x, middle_y - half_y, middle_y + half_y
    squeeze = math.cos(math.radians(middle_y))  # degrees of longitude are shorter away from the equator
    scale = WIDTH / ((east - west) * squeeze)
    height = round((north - south) * scale)

    def project(longitude: float, latitude: float) -> tuple[float, float]:
        return (longitude - west) * squeeze * scale, (north - latitude) * scale

    def path(geometry: dict) -> str:
        parts = []
        for ring in _rings(geometry):
            ring_west, ring_south, ring_east, ring_north = _bounds(ring)
            if ring_east < west or ring_west > east or ring_north < south or ring_south > north:
                continue  # an island far off the frame
            drawn, last = [], None
            for longitude, latitude in ring:
                x, y = project(longitude, latitude)
                if last is None or abs(x - last[0]) + abs(y - last[1]) >= MIN_STEP:
                    drawn.append(f"{x:.1f},{y:.1f}")
                    last = (x, y)
            if len(drawn) > 2:
                parts.append("M" + "L".join(drawn) + "Z")
        return "".join(parts)

    served_ids = {g["id"] for g in served}
    neighbours = []
    for code, (c_west, c_south, c_east, c_north) in _country_bounds().items():
        if code in served_ids or c_east < west or c_west > east or c_north < south or c_south > north:
            continue
        drawn = path(countries[code])
        if drawn:
            neighbours.append(drawn)
    counts = [p.value for p in places if isinstance(p.value, int)]
    largest = max(counts, default=0) or 1
    points = []
    for place in places:
        x, y = project(place.longitude, place.latitude)
        if isinstance(place.value, int) and place.value > 0:
            radius = SMALLEST_RADIUS + (LARGEST_RADIUS - SMALLEST_RADIUS) * math.sqrt(place.value / largest)
            text = number(place.value)
        else:  # a hidden count, a zero, or nothing counted: the smallest point
            radius = SMALLEST_RADIUS
            text = "" if place.value is None else str(place.value) if isinstance(place.value, str) else number(0)
        point = Point(place.name, round(x, 1), round(y, 1), round(radius, 1), text)
        # A label centred on its point, moved in so that it is never cut by the frame's edge
        # (its width estimated from its length: about 0.6 of the font size a character).
        half = len(point.label) * LABEL_SIZE * 0.3
        point.label_x = round(min(max(point.x, half + 2), WIDTH - half - 2), 1)
        points.append(point)
    _place_labels(points, height)
    points.sort(key=lambda point: -point.radius)  # the small ones drawn last, on top
    counted = any(place.value is not None for place in places)
    return Map(WIDTH, height, [path(g) for g in served], neighbours, points, counted)


def _place_labels(points: list[Point], height: int) -> None:
    """Each label above its point, or below it when that would cover a label already placed (the
    larger points' labels are placed first)."""
    placed: list[tuple[float, float, float, float]] = []
    for point in sorted(points, key=lambda p: -p.radius):
        half = len(point.label) * LABEL_SIZE * 0.3
        above = max(point.y - point.radius - 4, LABEL_SIZE)
        below = min(point.y + point.radius + LABEL_SIZE + 2, height - 2)
        for baseline in (above, below, above):  # neither free: above, as before
            box = (point.label_x - half, baseline - LABEL_SIZE, point.label_x + half, baseline)
            if not any(_overlap(box, other) for other in placed):
                break
        point.label_y = round(baseline, 1)
        placed.append(box)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
