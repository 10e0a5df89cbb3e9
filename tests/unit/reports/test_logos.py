"""Logo sanitising: what a hostile logo tries, and what is left of it."""

from __future__ import annotations

import io

import pytest
from defusedxml import ElementTree as SafeET
from PIL import Image

from assessment.reports.logos import SVG_NS as SVG
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
    # the local <use> is flattened into a copy of the rect; the external one draws nothing
    assert "use" not in tags and "href" not in text
    assert tags.count("rect") == 2  # the shape and its copy (the <a> goes with its child)
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


def _nested_use_bomb(levels: int) -> bytes:
    """Ten copies of ten copies of … ten rects: 10^(levels+1) shapes from about a kilobyte."""
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
             'xlink" viewBox="0 0 100 100"><defs><g id="l0">' + '<rect width="1" height="1"/>'
             * 10 + "</g>"]
    for level in range(1, levels + 1):
        parts.append(f'<g id="l{level}">' + f'<use xlink:href="#l{level - 1}"/>' * 10 + "</g>")
    parts.append(f'</defs><use xlink:href="#l{levels}"/></svg>')
    return "".join(parts).encode()


@pytest.mark.parametrize("levels", [3, 5, 8])
def test_a_nested_use_chain_is_refused(levels):
    bomb = _nested_use_bomb(levels)
    assert len(bomb) < 3000
    with pytest.raises(LogoRejected) as refused:
        clean_logo(bomb)
    assert refused.value.reason == "svg_complex"


def test_a_simple_use_is_flattened_into_copies_where_it_was():
    logo = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            b' viewBox="0 0 20 10"><defs><circle id="dot" r="2" fill="#0f5c8c"/>'
            b'<symbol id="bar"><rect width="4" height="1"/></symbol></defs>'
            b'<use xlink:href="#dot" x="5" y="5"/><use href="#dot" x="15" y="5"/>'
            b'<use href="#bar" transform="rotate(10)"/></svg>')
    cleaned = clean_logo(logo).content
    tree = SafeET.fromstring(cleaned)
    tags = [element.tag.split("}")[-1] for element in tree.iter()]
    assert "use" not in tags and "symbol" not in tags
    assert tags.count("circle") == 3  # the definition and two copies
    groups = [g.get("transform") for g in tree.iter(f"{{{SVG}}}g")]
    assert groups == ["translate(5,5)", "translate(15,5)", "rotate(10)"]
    copies = [c for c in tree.iter(f"{{{SVG}}}circle") if c.get("id") is None]
    assert len(copies) == 2  # copies do not repeat the id


def test_a_use_that_contains_itself_is_refused():
    cycle = (b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><rect width="1" height="1"/>'
             b'<use href="#b"/></g><g id="b"><use href="#a"/></g></svg>')
    with pytest.raises(LogoRejected) as refused:
        clean_svg(cycle)
    assert refused.value.reason == "svg_complex"


@pytest.mark.parametrize("svg", [
    b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 50_000 + b"</g>" * 50_000 + b"</svg>",
    b'<svg xmlns="http://www.w3.org/2000/svg">' + b'<rect width="1" height="1"/>' * 4001
    + b"</svg>",
])
def test_too_deep_or_too_many_elements_is_refused_not_a_crash(svg):
    with pytest.raises(LogoRejected) as refused:
        clean_svg(svg)
    assert refused.value.reason == "svg_complex"


def test_clip_paths_count_and_do_not_chain():
    chained = (b'<svg xmlns="http://www.w3.org/2000/svg"><defs>'
               b'<clipPath id="a"><rect width="1" height="1" clip-path="url(#b)"/></clipPath>'
               b'<clipPath id="b"><rect width="1" height="1" clip-path="url(#a)"/></clipPath>'
               b'</defs><rect width="5" height="5" clip-path="url(#a)"/></svg>')
    tree = SafeET.fromstring(clean_svg(chained))
    clipped = [e.get("clip-path") for e in tree.iter() if e.get("clip-path")]
    assert clipped == ["url(#a)"]  # only the drawing's own clip is left
    many = (b'<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c">'
            + b'<rect width="1" height="1"/>' * 100 + b'</clipPath></defs>'
            + b'<rect width="5" height="5" clip-path="url(#c)"/>' * 100 + b"</svg>")
    with pytest.raises(LogoRejected) as refused:  # 100 shapes drawn 100 times over
        clean_svg(many)
    assert refused.value.reason == "svg_complex"
