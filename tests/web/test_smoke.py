from __future__ import annotations

from tests.web.helpers import link_in


def test_signup_creates_user_and_tenant_and_the_mailed_link_lands_on_it(client, post, outbox):
    response = post("/signup", {"email": "Wang@Example.com", "password": "a-long-password",
                                "organisation": "Acme Motors", "kind": "enterprise",
                                "privacy": "y"})
    assert response.status_code == 200, response.get_data(as_text=True)
    [message] = outbox()
    assert message["To"] == "wang@example.com"
    link = link_in(message, "/verify/")
    assert client.get(link).status_code == 302
    home = client.get(client.get("/").headers["Location"])
    assert home.status_code == 200
    assert "Acme Motors" in home.get_data(as_text=True)


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
