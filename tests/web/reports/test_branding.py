"""Branding of a consultancy's reports: who may set it, what is refused, what is kept."""

from __future__ import annotations

import io

from PIL import Image

from tenants.models import Role


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _owner_of_consultancy(make_tenant, make_user):
    owner = make_user()
    return make_tenant("consultancy", owner=owner), owner


def test_owner_saves_logo_colour_and_footer(client, make_tenant, make_user, sign_in, post):
    consultancy, owner = _owner_of_consultancy(make_tenant, make_user)
    sign_in(owner)
    url = f"/t/{consultancy.slug}/branding/"
    response = post(url, {"logo": (io.BytesIO(_png()), "logo.png"), "brand_colour": "#AA3300",
                          "footer_text": "  华信咨询  ·  报告仅供客户内部使用 "},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "data:image/png;base64," in page
    assert 'value="#aa3300"' in page
    assert "华信咨询 · 报告仅供客户内部使用" in page


def test_every_bad_field_is_named_and_nothing_is_saved(client, make_tenant, make_user, sign_in,
                                                        post):
    consultancy, owner = _owner_of_consultancy(make_tenant, make_user)
    sign_in(owner)
    url = f"/t/{consultancy.slug}/branding/"
    response = post(url, {"logo": (io.BytesIO(b"MZ\x90 not an image"), "logo.png"),
                          "brand_colour": "red", "footer_text": "ok"},
                    content_type="multipart/form-data", headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "PNG, JPEG or SVG" in html
    assert "#RRGGBB" in html
    assert "data:image" not in client.get(url).get_data(as_text=True)


def test_an_svg_logo_is_stored_without_its_script(client, make_tenant, make_user, sign_in, post):
    consultancy, owner = _owner_of_consultancy(make_tenant, make_user)
    sign_in(owner)
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)">'
           b'<script>alert(1)</script><rect width="4" height="4" fill="#123456"/></svg>')
    post(f"/t/{consultancy.slug}/branding/", {"logo": (io.BytesIO(svg), "logo.svg"),
                                              "brand_colour": "#0f5c8c"},
         content_type="multipart/form-data")
    from assessment.reports.models import TenantBranding
    from tenants.context import system_scope
    from tenants.extensions import db

    with client.application.app_context(), system_scope(db.session, "test"):
        from sqlmodel import select

        row = db.session.exec(select(TenantBranding).where(
            TenantBranding.tenant_id == consultancy.id)).one()
        assert row.logo_media_type == "image/svg+xml"
        assert b"script" not in row.logo and b"onload" not in row.logo


def test_viewers_are_refused_and_enterprises_have_no_branding(
        client, make_tenant, make_user, add_member, sign_in):
    consultancy, _owner = _owner_of_consultancy(make_tenant, make_user)
    viewer = make_user()
    add_member(consultancy, viewer, Role.viewer)
    sign_in(viewer)
    assert client.get(f"/t/{consultancy.slug}/branding/").status_code == 403
    enterprise_owner = make_user()
    enterprise = make_tenant("enterprise", owner=enterprise_owner)
    sign_in(enterprise_owner)
    assert client.get(f"/t/{enterprise.slug}/branding/").status_code == 404


def test_report_branding_falls_back_to_the_default_look_without_the_feature(
        app, make_tenant, make_user, monkeypatch):
    from assessment.reports import branding
    from assessment.reports.models import DEFAULT_BRAND_COLOUR, TenantBranding
    from tenants.billing import entitlements
    from tenants.context import set_tenant
    from tenants.extensions import db

    consultancy, _owner = _owner_of_consultancy(make_tenant, make_user)
    with app.app_context():
        set_tenant(db.session, consultancy.id)
        db.session.add(TenantBranding(brand_colour="#aa3300", footer_text="x"))
        db.session.flush()
        tenant = db.session.merge(consultancy)
        assert branding.report_branding(tenant).brand_colour == "#aa3300"
        monkeypatch.setattr(entitlements, "may", lambda *_a, **_k: False)
        fallback = branding.report_branding(tenant)
        assert (fallback.brand_colour, fallback.footer_text) == (DEFAULT_BRAND_COLOUR, "")


def _nested_use_logo(levels: int = 5) -> bytes:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' viewBox="0 0 100 100"><defs><g id="l0">' + '<rect width="1" height="1"/>' * 10
             + "</g>"]
    for level in range(1, levels + 1):
        parts.append(f'<g id="l{level}">' + f'<use xlink:href="#l{level - 1}"/>' * 10 + "</g>")
    parts.append(f'</defs><use xlink:href="#l{levels}"/></svg>')
    return "".join(parts).encode()


def test_a_nested_use_logo_is_refused_on_upload_in_both_languages(
        client, make_tenant, make_user, sign_in, post):
    consultancy, owner = _owner_of_consultancy(make_tenant, make_user)
    sign_in(owner)
    url = f"/t/{consultancy.slug}/branding/"
    for language, words in (("en", "The logo is too complex to draw"), ("zh-CN", "Logo 过于复杂")):
        response = post(url, {"logo": (io.BytesIO(_nested_use_logo()), "logo.svg"),
                              "brand_colour": "#0f5c8c", "footer_text": "changed"},
                        content_type="multipart/form-data",
                        headers={"Accept-Language": language})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert words in html
        assert 'id="logo"' in html or 'name="logo"' in html  # shown at the logo field
    page = client.get(url).get_data(as_text=True)
    assert "data:image" not in page and "changed" not in page  # nothing was saved


def test_a_stored_nested_use_logo_is_left_out_of_the_report_not_rendered(
        app, make_tenant, make_user):
    """A logo stored before the sanitiser bounded <use> (written here straight into the
    table) must not reach the renderer: the report is issued without it."""
    from assessment.reports.branding import report_branding
    from assessment.reports.models import TenantBranding
    from tenants.context import set_tenant
    from tenants.extensions import db

    consultancy, _owner = _owner_of_consultancy(make_tenant, make_user)
    with app.app_context():
        set_tenant(db.session, consultancy.id)
        db.session.add(TenantBranding(logo=_nested_use_logo(), logo_media_type="image/svg+xml"))
        db.commit()
        assert report_branding(db.session.merge(consultancy)).logo_data_url is None
        row = db.session.exec(__import__("sqlmodel").select(TenantBranding)).one()
        row.logo = (b'<svg xmlns="http://www.w3.org/2000/svg"><defs><rect id="r" width="1" '
                    b'height="1"/></defs><use href="#r"/></svg>')
        db.commit()
        logo = report_branding(db.session.merge(consultancy)).logo_data_url
        assert logo is not None and logo.startswith("data:image/svg+xml;base64,")
