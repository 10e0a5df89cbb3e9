"""Chinese really reaches the user: pages and e-mails in Chinese, not the English msgids.

Babel normalises zh_CN to zh_Hans_CN and gettext then looks for a zh_Hans_CN or zh catalogue
folder; a folder named zh_CN is never found and every page silently falls back to English.
These checks use literal Chinese so that such a fallback fails.
"""

from __future__ import annotations

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_the_sign_in_page_is_in_chinese_by_default(client):
    html = client.get("/login", headers=ZH).get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "登录" in html and "Sign in" not in html
    assert "登录" in client.get("/login").get_data(as_text=True)  # no header: the default


def test_english_is_served_when_asked(client):
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sign in" in html and "登录" not in html


def test_the_verification_mail_is_in_the_users_language(client, post, outbox):
    post("/signup", {"privacy": "y", "email": "li@example.com", "password": "a-long-password",
                     "organisation": "示例公司", "kind": "enterprise"}, headers=ZH)
    [message] = outbox()
    body = message.get_payload(decode=True).decode()
    assert "确认" in str(message["Subject"]) or "确认" in body
    assert "Please confirm" not in body
