"""Language: Chinese by default, English on request, the user's choice remembered, and the
error pages in both languages.

Expected texts come from the app's own catalogue (``translated``), so the checks hold
whether or not a message has been translated yet; the ``lang`` attribute is checked as is.
"""

from __future__ import annotations

import pytest

from tenants.models import Role, User
from tests.conftest import csrf_token
from tests.factories import owner_of
from tests.factories import sign_in as sign_in_with
from tests.web.helpers import boom_app, html_lang, text, translated

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def switch_language(client, locale: str, referrer: str | None = "http://localhost/login"):
    token = csrf_token(client, "/login")
    headers = {"Referer": referrer} if referrer else {}
    return client.post("/language", data={"locale": locale, "csrf_token": token},
                       headers=headers)


def test_chinese_is_the_default(app, client):
    response = client.get("/login")
    assert html_lang(response) == "zh-CN"
    assert f"<h1>{translated(app, 'zh_CN', 'Sign in')}</h1>" in text(response)


@pytest.mark.parametrize("header, lang", [
    ("en", "en"), ("en-US,en;q=0.8", "en"), ("zh-CN", "zh-CN"), ("zh", "zh-CN"),
    ("fr-FR,fr;q=0.9", "zh-CN"), ("de, en;q=0.5", "en"),
])
def test_accept_language_is_followed(client, header, lang):
    response = client.get("/login", headers={"Accept-Language": header})
    assert html_lang(response) == lang


def test_english_pages_are_in_english(client):
    response = client.get("/login", headers=EN)
    assert "<h1>Sign in</h1>" in text(response)
    assert "Forgot your password?" in text(response)


@pytest.mark.parametrize("stored, header, lang", [("en", ZH, "en"), ("zh_CN", EN, "zh-CN")])
def test_a_signed_in_users_stored_preference_wins(client, make_user, sign_in, stored, header,
                                                  lang):
    user = make_user(locale=stored)
    sign_in(user)
    assert html_lang(client.get("/switch", headers=header)) == lang


def test_without_a_stored_preference_the_browser_decides(client, make_user, sign_in):
    sign_in(make_user(locale=None))
    assert html_lang(client.get("/switch", headers=EN)) == "en"
    assert html_lang(client.get("/switch", headers=ZH)) == "zh-CN"


def test_an_anonymous_visitor_switches_language(client):
    response = switch_language(client, "en")
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost/login"
    assert html_lang(client.get("/login", headers=ZH)) == "en"  # the choice beats the header
    switch_language(client, "zh_CN")
    assert html_lang(client.get("/login", headers=EN)) == "zh-CN"


def test_a_signed_in_user_switches_language_and_it_is_stored(client, other_client, make_user,
                                                             sign_in, fetch):
    user = make_user(locale="zh_CN")
    sign_in(user)
    switch_language(client, "en")
    [row] = fetch(User, User.id == user.id)
    assert row.locale == "en"
    assert html_lang(client.get("/switch", headers=ZH)) == "en"
    # Another browser, another session: the stored preference follows the user.
    sign_in_with(other_client, user)
    assert html_lang(other_client.get("/switch", headers=ZH)) == "en"


@pytest.mark.parametrize("locale", ["fr", "", "zh_TW"])
def test_an_unknown_language_is_refused(client, locale):
    assert switch_language(client, locale).status_code == 400
    assert html_lang(client.get("/login")) == "zh-CN"


@pytest.mark.parametrize("referrer", ["https://evil.example/", "http://localhost.evil.example/",
                                      None])
def test_the_switch_returns_only_to_our_own_pages(client, referrer):
    response = switch_language(client, "en", referrer)
    assert response.headers["Location"] == "/"


def test_the_switch_needs_a_csrf_token(client):
    assert client.post("/language", data={"locale": "en"}).status_code == 400


# -- error pages ----------------------------------------------------------------------------
@pytest.mark.parametrize("header, locale, lang", [(ZH, "zh_CN", "zh-CN"), (EN, "en", "en")])
def test_the_404_page_in_both_languages(app, client, header, locale, lang):
    response = client.get("/no-such-page", headers=header)
    assert response.status_code == 404
    assert html_lang(response) == lang
    page = text(response)
    assert f"<h1>{translated(app, locale, 'Page not found')}</h1>" in page
    assert translated(app, locale, "The page does not exist, or you do not have access to it.") \
        in page


@pytest.mark.parametrize("header, locale, lang", [(ZH, "zh_CN", "zh-CN"), (EN, "en", "en")])
def test_the_403_page_in_both_languages(app, client, make_tenant, make_user, add_member,
                                        sign_in, header, locale, lang):
    tenant = make_tenant()
    viewer = make_user()
    add_member(tenant, viewer, Role.viewer)
    sign_in(viewer)
    response = client.get(f"/t/{tenant.slug}/audit", headers=header)
    assert response.status_code == 403
    assert html_lang(response) == lang
    assert f"<h1>{translated(app, locale, 'Not allowed')}</h1>" in text(response)


@pytest.mark.parametrize("header, locale, lang", [(ZH, "zh_CN", "zh-CN"), (EN, "en", "en")])
def test_the_500_page_in_both_languages(fresh_app, header, locale, lang):
    app = boom_app(fresh_app)
    response = app.test_client().get("/boom", headers=header)
    assert response.status_code == 500
    assert html_lang(response) == lang
    page = text(response)
    assert f"<h1>{translated(app, locale, 'Something went wrong')}</h1>" in page
    assert "a test-only failure" not in page and "Traceback" not in page


def test_the_tenant_pages_follow_the_language(app, client, make_tenant, sign_in):
    tenant = make_tenant()
    sign_in(owner_of(app, tenant))
    for header, locale, lang in ((ZH, "zh_CN", "zh-CN"), (EN, "en", "en")):
        response = client.get(f"/t/{tenant.slug}/members", headers=header)
        assert html_lang(response) == lang
        assert f"<h1>{translated(app, locale, 'Members')}</h1>" in text(response)
