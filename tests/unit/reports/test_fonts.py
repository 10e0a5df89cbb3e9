"""The report font: Noto Sans CJK SC cut down at install to what reports use, with the full
font behind it for anything else."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fontTools.ttLib import TTFont

from assessment.reports import fonts
from assessment.reports.pdf_engine import render_pdf

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head>
<body><p>{body}</p></body></html>"""


def _pdffonts(tmp_path: Path, pdf: bytes) -> list[str]:
    path = tmp_path / "font.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                             text=True).stdout
    return [line.split()[0].split("+")[1] for line in listing.splitlines()[2:]]


def test_the_repertoire_is_gb2312_and_the_latin_punctuation_and_symbol_blocks():
    kept = fonts.repertoire()
    samples = ("链衡供应链管理成熟度", "，。：；（）《》、“”", "ABCxyz0123%", "℃≤≥×→—…",
               "CO₂ m³ ±")
    for text in samples:
        assert all(ord(c) in kept for c in text), text
    assert ord("堃") not in kept  # in GBK, not in GB 2312
    assert 8_000 < len(kept) < 10_000


def test_the_built_faces_have_their_own_name_and_cover_the_repertoire():
    built = fonts.built_faces()
    assert [face.weight for face, _path in built] == [400, 700]  # make install builds them
    kept = fonts.repertoire()
    for face, path in built:
        font = TTFont(str(path))
        assert font["name"].getDebugName(1) == fonts.FAMILY
        covered = set(font.getBestCmap())
        source = set(TTFont(str(face.file), fontNumber=_face_index(face)).getBestCmap())
        assert kept & source <= covered  # all the source face has of the repertoire
        assert font["maxp"].numGlyphs < 20_000  # against 65,535 in the source


def _face_index(face: fonts.Face) -> int:
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(4) for f in TTCollection(str(face.file)).fonts]
    return names.index(face.face)


def test_a_character_outside_the_repertoire_falls_back_to_the_full_noto_font(tmp_path):
    rendered = render_pdf(PAGE.format(body="北京堃源精密机械有限公司"))
    text = subprocess.run(["pdftotext", "-", "-"], input=rendered.content, check=True,
                          capture_output=True).stdout.decode()
    assert "北京堃源精密机械有限公司" in text
    used = _pdffonts(tmp_path, rendered.content)
    assert "ChainGauge-Sans-SC" in used
    assert any(name.startswith("Noto-Sans-CJK") for name in used), used


def test_only_built_faces_get_a_font_face_rule(tmp_path):
    assert fonts.built_faces(tmp_path) == []
    css = fonts.font_face_css("asset:/fonts/")
    for face in fonts.spec().faces:
        assert f'src: url("asset:/fonts/{face.output}")' in css
        assert f"font-weight: {face.weight}" in css
