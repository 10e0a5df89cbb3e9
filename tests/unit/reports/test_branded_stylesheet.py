"""The report stylesheet with an issuer's design tokens written in (pdf_engine.stylesheets_for)."""

from __future__ import annotations

from assessment import design_tokens
from assessment.reports import pdf_engine


def test_the_tokens_of_a_brand_stylesheet_are_read_with_the_issuers_colour():
    values = pdf_engine._custom_properties(design_tokens.css_custom_properties(brand="#123456"))
    assert values is not None
    assert values["--brand"] == "#123456"
    assert values["--shadow"].startswith("rgba(")


def test_a_brand_stylesheet_is_one_sheet_with_no_var_left_after_the_font_faces():
    sheets = pdf_engine.stylesheets_for(design_tokens.css_custom_properties(brand="#123456"))
    assert sheets[0] is pdf_engine.font_faces()
    assert len(sheets) == 2  # the tokens written into report.css: nothing resolved per element


def test_any_other_extra_stylesheet_is_used_as_written():
    for css in ("body { color: red; }", ":root { --brand: url(asset:/x.png); }",
                ":root { --brand: #123456; } h1 { color: var(--brand); }"):
        assert pdf_engine._custom_properties(css) is None
        sheets = pdf_engine.stylesheets_for(css)
        assert sheets[1] is pdf_engine.base_stylesheet() and len(sheets) == 3


def test_no_extra_stylesheet_keeps_the_tokens_as_var():
    assert pdf_engine.stylesheets_for("") == (pdf_engine.font_faces(),
                                              pdf_engine.base_stylesheet())
