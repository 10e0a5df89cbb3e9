"""WeasyPrint rendering: real fonts, real PDFs (read back with poppler), and a fetcher that
loads nothing a report's author did not put in the app's own assets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assessment.reports.pdf_engine import LockedDownFetcher, PdfCache, content_key, render_pdf

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title}</title><meta name="author" content="链衡 ChainGauge"></head>
<body><h1>{title}</h1><p>{body}</p></body></html>"""


def _pdf_to(tmp_path: Path, pdf: bytes, tool: str, *args: str) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), "-"] if tool == "pdftotext"
                          else [tool, *args, str(path)],
                          check=True, capture_output=True, text=True).stdout


def test_chinese_text_is_extractable_and_the_report_font_is_embedded_as_a_subset(tmp_path):
    rendered = render_pdf(PAGE.format(lang="zh-CN", title="示例精密机械有限公司",
                                      body="综合指数 72.4 分，集成级"))
    text = _pdf_to(tmp_path, rendered.content, "pdftotext")
    assert "示例精密机械有限公司" in text and "72.4" in text
    fonts = _pdf_to(tmp_path, rendered.content, "pdffonts").splitlines()[2:]
    # Only the report font (the CJK font cut down at install), regular for the text and bold
    # for the heading: nothing fell back to another font.
    assert sorted(line.split()[0].split("+")[1] for line in fonts) == [
        "ChainGauge-Sans-SC", "ChainGauge-Sans-SC-Bold"], fonts
    # pdffonts columns: name type encoding emb sub uni ...; subset names carry a +XXXXXX tag
    for line in fonts:
        assert line.split()[-5:-3] == ["yes", "yes"], line  # embedded, subset


def test_pdf_metadata_carries_title_author_and_language(tmp_path):
    rendered = render_pdf(PAGE.format(lang="en", title="Supply-chain report", body="x"),
                          uncompressed=True)
    info = _pdf_to(tmp_path, rendered.content, "pdfinfo")
    assert "Title:" in info and "Supply-chain report" in info
    assert "链衡 ChainGauge" in info
    assert b"/Lang (en)" in rendered.content



def test_hostile_references_fetch_nothing_and_embed_nothing(tmp_path, listener):
    port, connections = listener
    hostile = f"""
      <img src="file:///etc/passwd">
      <img src="http://127.0.0.1:{port}/logo.png">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      <div style="background: url('file:///etc/hostname')">x</div>
      <a rel="attachment" href="file:///etc/passwd">attach</a>
      <img src="asset:../../tenants/config.py">
    """
    rendered = render_pdf(PAGE.format(lang="en", title="Hostile", body=hostile))
    assert connections == []
    assert b"root:" not in rendered.content
    assert b"/EmbeddedFile" not in rendered.content
    refused = " ".join(rendered.refused_urls)
    assert "file:///etc/passwd" in refused
    assert f"127.0.0.1:{port}" in refused
    assert "tenants/config.py" in refused


def test_data_urls_and_own_assets_are_allowed():
    fetcher = LockedDownFetcher()
    png = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert png.read().startswith(b"\x89PNG")
    css = fetcher.fetch("asset:/report.css")
    assert b"@page" in css.read()


def test_the_cache_key_changes_with_the_content_and_the_cache_is_per_tenant(tmp_path):
    assert content_key("a", "b") != content_key("a", "c")
    from tenants.storage import LocalDirectoryStore

    cache = PdfCache(LocalDirectoryStore(str(tmp_path)))
    one, two = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
    cache.put(one, content_key("a"), b"%PDF-1")
    assert cache.get(one, content_key("a")) == b"%PDF-1"
    assert cache.get(two, content_key("a")) is None
    assert cache.claim(one, content_key("a")) and not cache.claim(one, content_key("a"))
    with pytest.raises(ValueError):
        cache.get("../x", content_key("a"))
