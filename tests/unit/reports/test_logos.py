"""Logo sanitising: what a hostile logo tries, and what is left of it."""

from __future__ import annotations

import io

import pytest
from defusedxml import ElementTree as SafeET
from PIL import Image

from assessment.reports.logos import LogoRejected, clean_logo, clean_svg

HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(1)</script>
  <style>rect { fill: url(http://evil.example/x) }</style>
  <foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="http://evil.example"/></foreignObject>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <a href="javascript:alert(1)"><rect width="5" height="5"/></a>
  <use xlink:href="http://evil.example/sprite.svg#x"/>
  <use xlink:href="#shape"/>
  <rect id="shape" width="10" height="10" fill="url(file:///etc/passwd)" onclick="x()"/>
  <circle cx="5" cy="5" r="3" fill="#0f5c8c" stroke="url(#grad)"/>
</svg>"""


def test_a_hostile_svg_keeps_only_its_drawing():
    cleaned = clean_svg(HOSTILE_SVG)
    text = cleaned.decode()
    for bad in ("script", "alert", "onload", "onclick", "style", "foreignObject", "iframe",
                "image", "javascript", "evil.example", "file:", "<a"):
        assert bad not in text, bad
    tree = SafeET.fromstring(cleaned)
    tags = [element.tag.split("}")[-1] for element in tree.iter()]
    assert tags.count("circle") == 1 and "rect" in tags
    uses = [e for e in tree.iter() if e.tag.endswith("use")]
    assert [u.get("href") for u in uses if u.get("href")] == ["#shape"]
    circle = next(e for e in tree.iter() if e.tag.endswith("circle"))
    assert circle.get("stroke") == "url(#grad)"


def test_entities_and_doctypes_are_refused():
    billion_laughs = b"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>"""
    with pytest.raises(LogoRejected):
        clean_svg(billion_laughs)
    external = b"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"""
    with pytest.raises(LogoRejected):
        clean_svg(external)


def _png(extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 4), (15, 92, 140)).save(out, format="PNG")
    return out.getvalue() + extra


def test_a_png_is_reencoded_and_loses_what_was_appended():
    logo = clean_logo(_png(b"<script>alert(1)</script>"))
    assert logo.media_type == "image/png"
    assert b"script" not in logo.content
    with Image.open(io.BytesIO(logo.content)) as image:
        assert image.size == (8, 4)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"MZ\x90\x00 not an image", "type"),
    (b"%PDF-1.7 not a logo", "type"),
    (b"\x89PNG\r\n\x1a\n broken", "type"),
    (b"<svg" + b" " * (600 * 1024), "too_large"),
])
def test_refusals_say_why(data, reason):
    with pytest.raises(LogoRejected) as refused:
        clean_logo(data)
    assert refused.value.reason == reason
