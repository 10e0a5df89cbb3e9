"""The message catalogues stay complete: every UI string is translated, placeholders agree, and
both catalogues compile. Pure: no application, no database.

The strings are extracted afresh from the source with the same mapping (babel.cfg) and keywords
as ``make extract-messages``, so a new ``_()`` without a translation fails here, naming the
string and where it is used. To fix a failure: ``make extract-messages``, then fill the empty
``msgstr`` in translations/zh and translations/en (English: the msgid itself).
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.util import pathmatch

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
# Catalogue folders: "zh" serves zh_CN, because Babel normalises zh_CN to zh_Hans_CN and
# gettext then looks for zh_Hans_CN or zh, never zh_CN.
LOCALES = ("zh", "en")
# The keywords of `pybabel extract -k _l -k lazy_gettext -k lazy_pgettext:1c,2` (the Makefile):
# Babel's defaults plus three.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}

# %(name)s, %(n)d, %s, %.1f, %% and a stray % alike; {name} for str.format-style strings.
# In a template, Jinja %-formats every _() result (newstyle gettext), so only named
# placeholders and %% may appear there; a stray % raises at render time.
NAMED_OR_PERCENT = re.compile(r"%\([^)]*\)[#0\- +]*(?:\d+)?(?:\.\d+)?[a-zA-Z]|%%")
PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[a-zA-Z%]|%")
BRACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
# A call that marks a literal for translation, in Python or in a Jinja template.
MARKED = re.compile(r"(?<![\w.])(?:_|_l|N_|gettext|lazy_gettext|ngettext|lazy_ngettext|"
                    r"pgettext|lazy_pgettext)"
                    r"\(\s*[rRuU]?['\"]|\{%-?\s*trans\b")
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".jinja", ".j2", ".jinja2"}
NOT_PRODUCT = {"tests", "node_modules", "build", "dist", "migrations"}
CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Source:
    msgid: str | tuple[str, ...]
    context: str | None
    locations: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.msgid if isinstance(self.msgid, str) else self.msgid[0]

    def describe(self) -> str:
        where = ", ".join(self.locations[:3]) + (" …" if len(self.locations) > 3 else "")
        ctx = f" [context {self.context!r}]" if self.context else ""
        return f"{self.key!r}{ctx} ({where})"


def read_mapping() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        return parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))


def extract_sources() -> list[Source]:
    method_map, options_map = read_mapping()
    found: dict[tuple[str, str | None], tuple[str | tuple[str, ...], list[str]]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        _first, where = found.setdefault((key, context), (message, []))
        place = f"{Path(filename).as_posix()}:{lineno}"
        if place not in where:
            where.append(place)
    return [Source(msgid, ctx, tuple(where)) for (_k, ctx), (msgid, where) in found.items()]


def load_catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def strings_of(message: Message) -> list[str]:
    value = message.string
    return list(value) if isinstance(value, (tuple, list)) else [value or ""]


def ids_of(message: Message) -> list[str]:
    value = message.id
    return list(value) if isinstance(value, (tuple, list)) else [value]


def placeholders(text: str) -> Counter[str]:
    return Counter(PERCENT.findall(text)) + Counter(BRACES.findall(text))


@pytest.fixture(scope="module")
def sources() -> list[Source]:
    found = extract_sources()
    assert len(found) > 50, "extraction found almost nothing: is babel.cfg still right?"
    return found


@pytest.fixture(scope="module", params=LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def catalogue(locale: str) -> Catalog:
    return load_catalogue(locale)


def translated_messages(catalogue: Catalog) -> list[Message]:
    return [m for m in catalogue if m.id and any(strings_of(m))]


def test_every_ui_string_is_translated(sources: list[Source], locale: str,
                                      catalogue: Catalog) -> None:
    problems = []
    for source in sources:
        message = catalogue.get(source.key, context=source.context)
        if message is None:
            problems.append(f"{source.describe()}: not in the catalogue")
        elif message.fuzzy:
            problems.append(f"{source.describe()}: marked fuzzy")
        elif not all(s.strip() for s in strings_of(message)):
            problems.append(f"{source.describe()}: empty msgstr")
        elif not isinstance(source.msgid, str) and len(ids_of(message)) != len(source.msgid):
            problems.append(f"{source.describe()}: plural forms differ from the source")
    assert not problems, (
        f"{len(problems)} UI string(s) lack a {locale} translation "
        "(run `make extract-messages`, then translate):\n  " + "\n  ".join(problems)
    )


def product_files() -> list[str]:
    found = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        folders = rel.parts[:-1]
        if any(p.startswith((".", "_")) or p in NOT_PRODUCT or p.endswith(".egg-info")
               for p in folders):
            continue
        found.append(rel.as_posix())
    return sorted(found)


def test_babel_cfg_covers_every_file_with_ui_strings() -> None:
    """A template or module outside babel.cfg's patterns is silently never extracted."""
    patterns = [pattern for pattern, _method in read_mapping()[0]]
    missed = []
    for rel in product_files():
        if any(pathmatch(pattern, rel) for pattern in patterns):
            continue
        text = (ROOT / rel).read_text(encoding="utf-8", errors="replace")
        match = MARKED.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            missed.append(f"{rel}:{line}")
    assert not missed, ("these files mark strings for translation but babel.cfg does not map "
                        "them, so the strings are never extracted:\n  " + "\n  ".join(missed))


def test_template_strings_survive_formatting(sources: list[Source]) -> None:
    bad = []
    for source in sources:
        if not any(loc.startswith(("templates/", "assessment/")) and not loc.endswith(".py")
                   and ".py:" not in loc for loc in source.locations):
            continue
        text = source.key
        leftover = NAMED_OR_PERCENT.sub("", text)
        if "%" in leftover:
            bad.append(source.describe())
    assert not bad, ("a literal % in a template string must be written %% (Jinja formats "
                     "every _() result, so the page raises otherwise):\n  " + "\n  ".join(bad))


def test_every_configured_language_finds_its_catalogue() -> None:
    """Babel looks a locale up by its normalised name: zh_CN is zh_Hans_CN, then zh, never
    zh_CN. A catalogue under a name Babel does not try is silently ignored."""
    from babel import Locale
    from babel.support import Translations

    from tenants.config import defaults

    languages = defaults(str(ROOT / "instance"))["LANGUAGES"]
    lost = []
    for language in languages:
        if language.startswith("en"):
            continue
        translations = Translations.load(str(TRANSLATIONS), [Locale.parse(language)])
        if not isinstance(translations, Translations) or not translations.files:
            lost.append(language)
    assert not lost, (f"no catalogue is loaded for {lost}: Babel tries "
                      f"{[gettext_names(lang) for lang in lost]} under translations/")


def gettext_names(language: str) -> list[str]:
    from babel import Locale

    return gettext._expand_lang(str(Locale.parse(language)))  # type: ignore[attr-defined]


def test_no_fuzzy_entries(catalogue: Catalog) -> None:
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries are not used at run time: {fuzzy}"


def test_placeholders_match(catalogue: Catalog) -> None:
    problems = []
    for message in translated_messages(catalogue):
        wanted = placeholders(ids_of(message)[0])
        for text in strings_of(message):
            got = placeholders(text)
            if got != wanted:
                problems.append(f"{message.id!r} -> {text!r}: placeholders {sorted(got.elements())}"
                                f" instead of {sorted(wanted.elements())}")
    assert not problems, "\n".join(problems)


def test_chinese_catalogue_is_chinese() -> None:
    """An English sentence pasted as the zh_CN translation is a gap, not a translation."""
    catalogue = load_catalogue("zh")
    english = [
        m.id for m in translated_messages(catalogue)
        if len(ENGLISH_WORD.findall(BRACES.sub("", PERCENT.sub("", ids_of(m)[0])))) >= 2
        and not any(CJK.search(text) for text in strings_of(m))
    ]
    assert not english, f"zh entries left in English: {english}"


def test_catalogues_compile(locale: str, catalogue: Catalog, tmp_path: Path) -> None:
    errors = [f"{m.id!r}: {e}" for m, errs in catalogue.check() for e in errs]
    assert not errors, "\n".join(errors)
    mo_path = tmp_path / f"{locale}.mo"
    with mo_path.open("wb") as mo:
        write_mo(mo, catalogue, use_fuzzy=False)
    with mo_path.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    messages = [m for m in translated_messages(catalogue) if not m.context]
    assert messages
    wrong = []
    for m in messages:
        if isinstance(m.id, str):
            ok = compiled.gettext(m.id) == m.string
        else:
            singular, plural = ids_of(m)[:2]
            ok = all(compiled.ngettext(singular, plural, n) in strings_of(m) for n in (1, 2, 5))
        if not ok:
            wrong.append(m.id)
    assert not wrong, f"compiled {locale} catalogue does not return these translations: {wrong}"
