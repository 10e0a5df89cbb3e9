"""Logos for branded reports: a PNG re-encoded, or an SVG reduced to a safe subset.

A logo is drawn into PDFs and pages that other people open, so it is treated as hostile:
- PNG (or JPEG) is decoded and re-encoded by Pillow, which drops every ancillary chunk
  and anything appended after the image; its size is bounded.
- SVG is parsed with defusedxml (no DTDs, no entities) and rebuilt from an allow-list of
  drawing elements and presentation attributes. Scripts, event handlers, foreignObject,
  <style>, external references (href/xlink:href other than "#fragment") and url(...) to
  anything but a fragment are dropped. What remains can only draw.
- An SVG is also bounded in what drawing it costs. ``<use>`` copies another element, and a
  chain of them multiplies: ten uses of a group of ten uses of … is 10^n shapes from a file of
  a kilobyte (measured: 2 s, 25 s, ~195 s to render at three, four, five levels). So every
  ``<use>`` is flattened here into a copy of what it points to, and the copies count against
  a node budget (:data:`MAX_ELEMENTS`); a file whose drawing would exceed it, or that nests
  deeper than :data:`MAX_DEPTH`, or whose uses point at themselves, is refused. A
  ``clip-path`` draws its clip path's shapes once per element that uses it: those count too,
  and a clip path's own shapes may not be clipped again (a chain of clip paths multiplies
  like uses). ``href`` survives nowhere: gradients lose their (rare) inheritance by href
  rather than risk a cycle in the renderer.
"""

from __future__ import annotations

import io
import math
import re

# The standard parser never sees input: it only serialises the trees this module builds.
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MAX_PIXELS = 2000 * 2000
# What one logo may cost to draw: elements after flattening, plus clip-path shapes drawn once
# per element that uses them. A detailed logo exported from a design tool has some hundreds.
MAX_ELEMENTS = 4000
MAX_DEPTH = 32  # nesting of elements (and of uses within uses)
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ALLOWED_ELEMENTS = frozenset({
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "defs", "linearGradient", "radialGradient", "stop", "clipPath", "title", "desc",
    "use", "symbol",
})
ALLOWED_ATTRIBUTES = frozenset({
    "id", "class", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy",
    "r", "rx", "ry", "d", "points", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
    "stroke-miterlimit", "opacity", "transform", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "clip-path", "clip-rule", "font-family",
    "font-size", "font-weight", "text-anchor", "dominant-baseline", "preserveAspectRatio",
    "version", "fx", "fy", "spreadMethod", "letter-spacing",
})
_URL = re.compile(r"url\(\s*['\"]?([^)'\"]*)['\"]?\s*\)", re.IGNORECASE)


class LogoRejected(ValueError):
    """The file is not a logo we can use; ``reason`` is a short machine code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Logo:
    content: bytes
    media_type: str  # image/png or image/svg+xml


def clean_logo(data: bytes) -> Logo:
    if not data:
        raise LogoRejected("empty")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRejected("too_large")
    head = data[:512].lstrip()
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        return Logo(_reencode_raster(data), "image/png")
    if head.startswith((b"<?xml", b"<svg", b"<!--")) or b"<svg" in head:
        return Logo(clean_svg(data), "image/svg+xml")
    raise LogoRejected("type")


def _reencode_raster(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise LogoRejected("too_large")
            image.load()
            converted = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise LogoRejected("type") from exc
    out = io.BytesIO()
    converted.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _safe_value(value: str) -> bool:
    lowered = value.strip().lower()
    if "javascript:" in lowered or "expression(" in lowered:
        return False
    return all(match.startswith("#") for match in _URL.findall(value))


def _href(element: ET.Element) -> str | None:
    """The fragment a ``<use>`` points at (``#id`` only; anything else points nowhere)."""
    value = element.get(f"{{{XLINK_NS}}}href") or element.get("href") or ""
    value = value.strip()
    return value[1:] if value.startswith("#") and len(value) > 1 else None


def _check_shape(root: ET.Element) -> dict[str, ET.Element]:
    """Refuse a tree too deep or too large to walk; the elements by id."""
    by_id: dict[str, ET.Element] = {}
    stack = [(root, 1)]
    count = 0
    while stack:  # iterative: a 50,000-deep file must not exhaust Python's recursion
        element, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_ELEMENTS:
            raise LogoRejected("svg_complex")
        identifier = element.get("id")
        if identifier and identifier not in by_id:
            by_id[identifier] = element
        stack.extend((child, depth + 1) for child in element)
    return by_id


class _Budget:
    """Elements written so far, against :data:`MAX_ELEMENTS`."""

    def __init__(self) -> None:
        self.used = 0

    def spend(self, cost: int = 1) -> None:
        self.used += cost
        if self.used > MAX_ELEMENTS:
            raise LogoRejected("svg_complex")


def _allowed(element: ET.Element) -> str | None:
    namespace, name = _local(element.tag)
    if namespace not in ("", SVG_NS) or name not in ALLOWED_ELEMENTS:
        return None  # script, foreignObject, style, image, a, animate, set, …: dropped
    return name


class _Flattener:
    """Copies the allowed subset, replacing each ``<use>`` by a copy of what it points to."""

    def __init__(self, by_id: dict[str, ET.Element]) -> None:
        self.by_id = by_id
        self.budget = _Budget()

    def copy_children(self, source: ET.Element, target: ET.Element, depth: int,
                      using: tuple[str, ...], in_clip: bool, copied: bool) -> None:
        for child in source:
            name = _allowed(child)
            if name is None or name == "symbol":
                continue  # a symbol draws only through a use, which copies it
            if name == "use":
                self._use(child, target, depth, using, in_clip)
                continue
            self.copy_element(child, name, target, depth, using, in_clip, copied)

    def copy_element(self, child: ET.Element, name: str, target: ET.Element, depth: int,
                     using: tuple[str, ...], in_clip: bool, copied: bool) -> ET.Element:
        if depth > MAX_DEPTH:
            raise LogoRejected("svg_complex")
        self.budget.spend()
        clean = ET.SubElement(target, f"{{{SVG_NS}}}{name}")
        _copy_attributes(child, clean, drop_id=copied, drop_clip=in_clip)
        clean.text = child.text if name in ("text", "tspan", "title", "desc") else None
        clean.tail = None
        self.copy_children(child, clean, depth + 1, using, in_clip or name == "clipPath",
                           copied)
        return clean

    def _use(self, use: ET.Element, target: ET.Element, depth: int, using: tuple[str, ...],
             in_clip: bool) -> None:
        fragment = _href(use)
        referenced = self.by_id.get(fragment) if fragment else None
        if referenced is None:
            return  # points outside the file, or at nothing: draws nothing
        if fragment in using or len(using) >= MAX_DEPTH:
            raise LogoRejected("svg_complex")  # a use that contains itself never ends
        name = _allowed(referenced)
        if name is None or name == "svg":
            return
        group = ET.Element(f"{{{SVG_NS}}}g")
        _copy_attributes(use, group, drop_id=False, drop_clip=in_clip)
        for key in ("x", "y", "width", "height"):
            group.attrib.pop(key, None)
        offset = _offset(use)
        if offset:
            group.set("transform", f"{group.get('transform', '')} {offset}".strip())
        self.budget.spend()
        target.append(group)
        inner = (*using, fragment or "")
        if name == "symbol":  # a symbol's children, drawn where the use is
            self.copy_children(referenced, group, depth + 1, inner, in_clip, True)
        else:
            self.copy_element(referenced, name, group, depth + 1, inner, in_clip, True)


def _number(value: str | None) -> float:
    try:
        number = float(value or 0)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) else 0.0


def _offset(use: ET.Element) -> str:
    x, y = _number(use.get("x")), _number(use.get("y"))
    return f"translate({x:g},{y:g})" if x or y else ""


def _copy_attributes(source: ET.Element, target: ET.Element, *, drop_id: bool = False,
                     drop_clip: bool = False) -> None:
    for key, value in source.attrib.items():
        namespace, name = _local(key)
        if namespace or name not in ALLOWED_ATTRIBUTES or not _safe_value(value):
            continue
        if (name == "id" and drop_id) or (name == "clip-path" and drop_clip):
            continue  # copies would repeat an id; a clip inside a clip path multiplies
        target.set(name, value)


def _drawing_cost(root: ET.Element) -> int:
    """Elements, plus a clip path's elements once more for each element clipped by it."""
    clip_sizes = {element.get("id"): sum(1 for _ in element.iter())
                  for element in root.iter(f"{{{SVG_NS}}}clipPath") if element.get("id")}
    cost = 0
    for element in root.iter():
        cost += 1
        found = _URL.search(element.get("clip-path", ""))
        if found:
            cost += clip_sizes.get(found.group(1)[1:], 0)
    return cost


def clean_svg(data: bytes) -> bytes:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except Exception as exc:  # defusedxml raises several types; all mean "not a safe SVG"
        raise LogoRejected("svg") from exc
    namespace, name = _local(root.tag)
    if name != "svg" or namespace not in ("", SVG_NS):
        raise LogoRejected("svg")
    flattener = _Flattener(_check_shape(root))
    clean_root = ET.Element(f"{{{SVG_NS}}}svg")
    _copy_attributes(root, clean_root)
    flattener.copy_children(root, clean_root, 2, (), False, False)
    if _drawing_cost(clean_root) > MAX_ELEMENTS:
        raise LogoRejected("svg_complex")
    ET.register_namespace("", SVG_NS)
    return ET.tostring(clean_root, encoding="utf-8", xml_declaration=False)
