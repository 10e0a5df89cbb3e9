from __future__ import annotations


def test_signup_creates_user_and_tenant_and_lands_on_it(client, post, outbox):
    response = post("/signup", {"email": "Wang@Example.com", "password": "a-long-password",
                                "organisation": "Acme Motors", "kind": "enterprise"})
    assert response.status_code == 302, response.get_data(as_text=True)
    home = client.get(response.headers["Location"])
    assert home.status_code == 200
    assert "Acme Motors" in home.get_data(as_text=True)
    [message] = outbox()
    assert message["To"] == "wang@example.com"


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
