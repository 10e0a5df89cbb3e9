"""The report font: Noto Sans CJK SC cut down to the characters reports use, built at install.

WeasyPrint embeds a subset of every font a PDF uses, but keeps the original's glyph ids
(harfbuzz's retain-gids), and Noto Sans CJK has 65,535 glyphs with the Chinese ones far up: each
report carried two ~100 KB fonts of mostly empty glyphs, and cutting them out of the 20 MB
collections took some 60 ms of every render. The SC face cut to GB 2312 and the Latin,
punctuation and symbol blocks (``data/report_font.yaml``) has ~8,700 glyphs: a report is ~40 %
smaller and renders ~5-10 % faster. A character outside that repertoire (a rare character in
a company's name) falls back to the full Noto Sans CJK SC, named after this family in every
font list of the report, so nothing goes missing.

``make install`` runs ``python -m assessment.reports.fonts``, which writes the faces into
``static/reports/fonts/`` (not in git: they are derived from the system's fonts-noto-cjk).
Without them reports fall back to Noto Sans CJK SC throughout and say so in the log.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

log = logging.getLogger(__name__)

SPEC_FILE = Path(__file__).resolve().parent / "data" / "report_font.yaml"
FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "reports" / "fonts"
FALLBACK = "Noto Sans CJK SC"


@dataclass(frozen=True)
class Face:
    weight: int
    file: Path
    face: str  # the face's full name (name id 4) in the collection
    output: str


@dataclass(frozen=True)
class FontSpec:
    family: str
    faces: tuple[Face, ...]
    encodings: tuple[str, ...]
    blocks: tuple[tuple[int, int], ...]


@cache
def spec() -> FontSpec:
    raw = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return FontSpec(
        family=raw["family"],
        faces=tuple(Face(int(f["weight"]), Path(f["file"]), f["face"], f["output"])
                    for f in raw["faces"]),
        encodings=tuple(raw["repertoire"]["encodings"]),
        blocks=tuple((int(first), int(last)) for first, last in raw["repertoire"]["blocks"]),
    )


FAMILY = spec().family
# For an SVG's font-family attribute: WeasyPrint does not apply the page's CSS to SVG text.
SVG_FAMILIES = f"{FAMILY}, {FALLBACK}"


def repertoire(font_spec: FontSpec | None = None) -> frozenset[int]:
    """The code points the report font keeps."""
    font_spec = font_spec or spec()
    kept: set[int] = set()
    for encoding in font_spec.encodings:
        kept |= _double_byte_characters(encoding)
    for first, last in font_spec.blocks:
        kept.update(range(first, last + 1))
    return frozenset(kept)


def _double_byte_characters(encoding: str) -> set[int]:
    """Every character of an EUC-encoded double-byte set (rows and cells 0xA1-0xFE)."""
    found: set[int] = set()
    for row in range(0xA1, 0xFF):
        for cell in range(0xA1, 0xFF):
            try:
                found.update(ord(c) for c in bytes((row, cell)).decode(encoding))
            except UnicodeDecodeError:
                continue
    return found


def built_faces(folder: Path = FONT_DIR) -> list[tuple[Face, Path]]:
    return [(face, folder / face.output) for face in spec().faces
            if (folder / face.output).is_file()]


def font_face_css(url_prefix: str) -> str:
    """``@font-face`` rules for the faces that are built (``url_prefix`` + file name)."""
    faces = built_faces()
    if len(faces) < len(spec().faces):
        log.warning("report font not built (make install): reports use %s throughout, "
                    "larger and slower", FALLBACK)
    return "".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; '
        f'src: url("{url_prefix}{face.output}"); }}\n' for face, _path in faces)


def build(folder: Path = FONT_DIR, *, force: bool = False) -> list[Path]:
    """Write the report font's faces into ``folder`` (those missing, or all with ``force``)."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font_spec = spec()
    keep = repertoire(font_spec)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for face in font_spec.faces:
        target = folder / face.output
        if target.is_file() and not force:
            continue
        collection = TTCollection(str(face.file))
        font = next((f for f in collection.fonts if f["name"].getDebugName(4) == face.face),
                    None)
        if font is None:
            raise SystemExit(f"{face.file} has no face named {face.face!r}")
        options = subset.Options()
        options.layout_features = ["*"]  # shaping (kerning, CJK punctuation widths) unchanged
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        _rename(font, font_spec.family, face.weight)
        partial = target.with_suffix(".part")
        font.save(str(partial))
        partial.replace(target)  # never half a font in place
        written.append(target)
    return written


def _rename(font: TTFont, family: str, weight: int) -> None:
    """A cut-down font gets its own name (the OFL's advice for modified fonts), which is also
    the name matplotlib finds it by."""
    style = "Bold" if weight >= 600 else "Regular"
    postscript = f"{family.replace(' ', '')}-{style}"
    names = {1: family, 2: style, 4: f"{family} {style}", 6: postscript, 16: family, 17: style}
    name_table = font["name"]
    for record in list(name_table.names):
        if record.nameID in names:
            name_table.setName(names[record.nameID], record.nameID, record.platformID,
                               record.platEncID, record.langID)
    if "CFF " in font:
        font["CFF "].cff.fontNames = [postscript]


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the report font (static/reports/fonts).")
    parser.add_argument("--force", action="store_true", help="rebuild faces already built")
    args = parser.parse_args()
    written = build(force=args.force)
    for path in written:
        print(f"built {path} ({path.stat().st_size // 1024} KB)")
    if not written:
        print(f"report font already built in {FONT_DIR}")


if __name__ == "__main__":
    main()
