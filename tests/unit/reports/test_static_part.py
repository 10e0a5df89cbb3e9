"""A report's static part (its appendix) laid out once and its pages reused: the PDF must be
the very same bytes as the report rendered whole, page numbers and contents included, however
long the report before the appendix is."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import weasyprint
from weasyprint.document import Document

from assessment.reports import pdf_engine
from assessment.reports.static_part import KeptPages, first_page_of, laid_out, marked

# Long enough to fill two pages of the appendix.
APPENDIX_TEXT = "<p>" + "指标公式与评分区间，说明每一级的取值范围。" * 40 + "</p>"

REPORT = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>示例报告</title><meta name="author" content="链衡"></head>
<body><div class="running-footer">{footer}</div>
<!--cg:content-->
<section class="cover"><h1>封面</h1></section>
<section class="chapter" id="contents"><table class="toc"><tbody>{contents}</tbody></table>
</section>
{body}
<!--cg:static-part appendix-->
<section class="chapter" id="appendix"><h2>附录：方法说明</h2>{appendix}</section>
<!--cg:/static-part-->
</body>
</html>"""


CONTENTS_LINE = ('<tr><td class="toc-entry w-88"><a href="#{id}">{title}</a></td>'
                 '<td class="toc-page w-12"><a class="page-ref" href="#{id}"></a></td></tr>')


def report(body_chapters: int = 1, footer: str = "页脚文字", appendix: str = APPENDIX_TEXT) -> str:
    contents = CONTENTS_LINE.format(id="body", title="正文") \
        + CONTENTS_LINE.format(id="appendix", title="附录")
    body = "".join(f'<section class="chapter" id="{"body" if n == 0 else f"c{n}"}">'
                   f"<h2>第 {n + 1} 章</h2><p>正文内容 {n}</p></section>"
                   for n in range(body_chapters))
    return REPORT.format(footer=footer, contents=contents, body=body, appendix=appendix * 3)


def whole(html: str) -> str:
    """The same report without its markers: rendered whole, nothing reused."""
    return html.replace("<!--cg:content-->", "")


class CountingLayout:
    """Lays out HTML as render_pdf does, and counts what it laid out."""

    def __init__(self) -> None:
        self.sources: list[str] = []

    def __call__(self, source: str) -> Document:
        self.sources.append(source)
        return weasyprint.HTML(string=source, base_url="asset:/",
                               url_fetcher=pdf_engine.LockedDownFetcher()).render(
            stylesheets=[pdf_engine.font_faces(), pdf_engine.base_stylesheet()],
            font_config=pdf_engine.font_configuration())


def pdf_of(document: Document) -> bytes:
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf


def page_texts(tmp_path: Path, pdf: bytes) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]  # spacing is layout


@pytest.fixture(autouse=True)
def _no_kept_pages_between_tests():
    pdf_engine._kept_pages.clear()
    yield
    pdf_engine._kept_pages.clear()


# -- cutting the HTML --------------------------------------------------------------------------
def test_a_marked_report_is_cut_into_preamble_report_static_part_and_closing():
    html = report()
    cut = marked(html)
    assert cut is not None
    assert cut.anchor == "appendix"
    assert cut.preamble.endswith("<!--cg:content-->") and "running-footer" in cut.preamble
    assert 'id="contents"' in cut.before and "附录：方法说明" not in cut.before
    assert cut.static.strip().startswith('<section class="chapter" id="appendix">')
    assert cut.closing.strip() == "</body>\n</html>"
    assert cut.preamble + cut.before + "<!--cg:static-part appendix-->" + cut.static \
        + "<!--cg:/static-part-->" + cut.closing == html


@pytest.mark.parametrize("html", [
    whole(report()),  # no content mark
    report().replace("<!--cg:static-part appendix-->", ""),  # no opening mark
    report().replace("<!--cg:/static-part-->", ""),  # no closing mark
    report().replace("<!--cg:/static-part-->\n", "<!--cg:/static-part--><p>more</p>"),  # not last
])
def test_a_report_without_its_markers_in_place_is_not_cut(html):
    assert marked(html) is None


def test_the_key_changes_with_the_static_part_the_footer_and_the_stylesheet_not_the_body():
    base = marked(report())
    assert base is not None
    same_part = marked(report(body_chapters=3))
    other_part = marked(report(appendix="<p>另一套公式</p>"))
    other_footer = marked(report(footer="另一家咨询机构"))
    assert same_part is not None and other_part is not None and other_footer is not None
    assert base.key("") == same_part.key("")
    assert len({base.key(""), other_part.key(""), other_footer.key(""),
                base.key(":root { --brand: #123456; }")}) == 4


# -- laying out ------------------------------------------------------------------------------
def test_first_whole_then_the_part_alone_is_kept_then_only_the_report_before_it():
    kept, layout = KeptPages(), CountingLayout()
    html = report()
    reference = pdf_of(layout(whole(html)))
    cut = marked(html)
    assert cut is not None

    layout.sources.clear()
    first = laid_out(html, "", layout, kept)
    assert layout.sources == [html]  # whole: it tells how long the part is
    assert kept.length(cut.key("")) == 2 and kept.get(cut.key(""), 3) is None
    assert pdf_of(first) == reference

    layout.sources.clear()
    second = laid_out(html, "", layout, kept)
    assert layout.sources == [cut.without_static(2), cut.static_alone(3)]
    assert kept.get(cut.key(""), 3) is not None
    assert pdf_of(second) == reference

    layout.sources.clear()
    third = laid_out(html, "", layout, kept)
    assert layout.sources == [cut.without_static(2)]
    assert pdf_of(third) == reference


def test_a_part_starting_on_another_page_is_laid_out_there_and_the_pdf_is_still_identical(
        tmp_path):
    kept, layout = KeptPages(), CountingLayout()
    for _ in range(2):
        laid_out(report(body_chapters=1), "", layout, kept)  # kept, starting on page 4
    longer = report(body_chapters=3)  # the appendix now starts on page 6
    reference = pdf_of(layout(whole(longer)))

    layout.sources.clear()
    document = laid_out(longer, "", layout, kept)
    assert len(layout.sources) == 2  # the report before the part, then the part alone
    assert pdf_of(document) == reference
    pages = page_texts(tmp_path, reference)
    assert len(pages) == 7
    assert "附录：方法说明" in pages[5] and pages[5].endswith("6/7")
    assert pages[6].endswith("页脚文字7/7")
    assert "正文3" in pages[1] and "附录6" in pages[1]

    layout.sources.clear()
    again = laid_out(longer, "", layout, kept)
    assert len(layout.sources) == 1
    assert pdf_of(again) == reference


def test_a_changed_part_or_stylesheet_is_never_served_from_the_kept_pages(tmp_path):
    kept, layout = KeptPages(), CountingLayout()
    laid_out(report(), "", layout, kept)
    changed = report(appendix="<p>第二版公式：按期交付率 = 按期交付批次 / 交付批次</p>")
    text = "".join(page_texts(tmp_path, pdf_of(laid_out(changed, "", layout, kept))))
    assert "第二版公式：按期交付率" in text and "指标公式与评分区间" not in text

    layout.sources.clear()
    laid_out(report(), "h2 { color: #aa0000; }", layout, kept)
    assert layout.sources == [report()]  # another stylesheet: rendered whole again


def test_when_a_placeholder_is_not_where_expected_the_report_renders_whole():
    kept, layout = KeptPages(), CountingLayout()
    html = report()
    cut = marked(html)
    assert cut is not None
    kept.keep(cut.key(""), 3, ())  # a wrong record: a part of no pages
    document = laid_out(html, "", layout, kept)
    assert layout.sources[-1] == html
    assert pdf_of(document) == pdf_of(layout(whole(html)))


def test_kept_pages_are_bounded_and_the_least_recently_used_go_first():
    kept = KeptPages(capacity=2)
    kept.keep("a", 1, ())
    kept.keep("b", 1, ())
    assert kept.get("a", 1) == ()  # a is now the most recently used
    kept.keep("c", 1, ())
    assert kept.get("b", 1) is None and kept.get("a", 1) == () and kept.get("c", 1) == ()
    assert kept.length("b") == 0  # a page count is small: counts are kept longer
    for n in range(16):
        kept.note_length(f"k{n}", 1)
    assert kept.length("b") is None and kept.length("k15") == 1


def test_render_pdf_reuses_the_part_and_gives_the_same_bytes(tmp_path):
    html = report(body_chapters=2)
    cut = marked(html)
    assert cut is not None
    reference = pdf_engine.render_pdf(whole(html)).content
    for _ in range(3):  # whole; the part alone, kept; the part reused
        assert pdf_engine.render_pdf(html).content == reference
    assert pdf_engine._kept_pages.get(cut.key(""), 4) is not None  # cover, contents, 2 chapters


def test_first_page_of_finds_the_page_of_an_id():
    document = CountingLayout()(report(body_chapters=2))
    assert first_page_of(document, "contents") == 1
    assert first_page_of(document, "appendix") == 4
    assert first_page_of(document, "nowhere") is None
