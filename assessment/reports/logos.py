"""Logos for branded reports: a PNG re-encoded, or an SVG reduced to a safe subset.

A logo is drawn into PDFs and pages that other people open, so it is treated as hostile:
- PNG (or JPEG) is decoded and re-encoded by Pillow, which drops every ancillary chunk
  and anything appended after the image; its size is bounded.
- SVG is parsed with defusedxml (no DTDs, no entities) and rebuilt from an allow-list of
  drawing elements and presentation attributes. Scripts, event handlers, foreignObject,
  <style>, external references (href/xlink:href other than "#fragment") and url(...) to
  anything but a fragment are dropped. What remains can only draw.
"""

from __future__ import annotations

import io
import re

# The standard parser never sees input: it only serialises the trees this module builds.
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MAX_PIXELS = 2000 * 2000
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
    "href", "version", "fx", "fy", "spreadMethod", "letter-spacing",
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


def _safe_value(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if name == "href":
        return lowered.startswith("#")
    if "javascript:" in lowered or "expression(" in lowered:
        return False
    return all(match.startswith("#") for match in _URL.findall(value))


def _copy(source: ET.Element, target: ET.Element) -> None:
    for child in source:
        namespace, name = _local(child.tag)
        if namespace not in ("", SVG_NS) or name not in ALLOWED_ELEMENTS:
            continue  # script, foreignObject, style, image, a, animate, set, …: dropped
        clean = ET.SubElement(target, f"{{{SVG_NS}}}{name}")
        _copy_attributes(child, clean)
        clean.text = child.text if name in ("text", "tspan", "title", "desc") else None
        clean.tail = None
        _copy(child, clean)


def _copy_attributes(source: ET.Element, target: ET.Element) -> None:
    for key, value in source.attrib.items():
        namespace, name = _local(key)
        if namespace == XLINK_NS and name == "href":
            name = "href"
        elif namespace:
            continue
        if name in ALLOWED_ATTRIBUTES and _safe_value(name, value):
            target.set(name, value)


def clean_svg(data: bytes) -> bytes:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except Exception as exc:  # defusedxml raises several types; all mean "not a safe SVG"
        raise LogoRejected("svg") from exc
    namespace, name = _local(root.tag)
    if name != "svg" or namespace not in ("", SVG_NS):
        raise LogoRejected("svg")
    clean_root = ET.Element(f"{{{SVG_NS}}}svg")
    _copy_attributes(root, clean_root)
    _copy(root, clean_root)
    ET.register_namespace("", SVG_NS)
    return ET.tostring(clean_root, encoding="utf-8", xml_declaration=False)
