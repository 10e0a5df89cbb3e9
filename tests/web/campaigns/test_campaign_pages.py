"""The campaign pages through the test client: create, add, upload (refused and applied),
the board (counts, filters, pages, export), reminders now, and the invitation link (sign up
with the organisation filled in, or decline); roles and words, not codes."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from assessment.campaigns.models import Campaign, Participant
from tenants.models import Role, TenantLink
from tests.factories import owner_of
from tests.integration.campaigns.factories import csv_bytes, make_campaign, member_row, upload
from tests.web.helpers import flashes, text


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def association(make_tenant: Any) -> Any:
    return make_tenant("association", name="Fujian Manufacturing Association")


def test_create_a_campaign_through_the_form(app, client, sign_in, post, association, fetch):
    sign_in(owner_of(app, association))
    assert client.get(f"/t/{association.slug}/campaigns/new").status_code == 200
    response = post(f"/t/{association.slug}/campaigns/new", {
        "name": "Members 2026", "year": "2026", "framework": "scm-2024@1.0.0",
        "grants": ["scores", "reports"], "deadline": "2026-12-31",
        "remind_days_before": "14, 7、1", "escalate_days_after": "3",
        "invitation_zh": "请参加", "invitation_en": "Please join"})
    assert response.status_code == 302
    [found] = fetch(Campaign, Campaign.tenant_id == association.id)
    assert (found.remind_days_before, found.escalate_days_after) == ([14, 7, 1], [3])
    assert found.grants == ["reports", "scores"]
    response = post(f"/t/{association.slug}/campaigns/new", {
        "name": "x", "year": "2026", "framework": "scm-2024@1.0.0", "grants": ["scores"],
        "deadline": "2026-12-31", "remind_days_before": "soon"})
    assert response.status_code == 422
    assert "Write whole days separated by commas" in text(response)


def test_a_viewer_sees_the_board_but_cannot_change_it(app, client, sign_in, post, association,
                                                      make_user, add_member):
    found = make_campaign(app, association)
    viewer = make_user()
    add_member(association, viewer, Role.viewer)
    sign_in(viewer)
    assert client.get(f"/t/{association.slug}/campaigns/{found.id}").status_code == 200
    assert post(f"/t/{association.slug}/campaigns/{found.id}/remind").status_code == 403
    assert client.get(f"/t/{association.slug}/campaigns/{found.id}/upload").status_code == 403


def test_upload_page_lists_every_bad_cell_then_applies_a_good_list(app, client, sign_in, post,
                                                                    association, fetch):
    found = make_campaign(app, association)
    sign_in(owner_of(app, association))
    url = f"/t/{association.slug}/campaigns/{found.id}/upload"
    bad = csv_bytes([member_row(1), member_row(2, email="nope"), member_row(3, code="123")])
    response = post(url, {"file": (io.BytesIO(bad), "members.csv")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Nothing was added: 2 cells need correcting." in page
    assert "D · E-mail" in page and "B · Unified social credit code" in page
    assert "credit_code" not in page  # words, not codes
    assert fetch(Participant, Participant.campaign_id == found.id) == []

    good = csv_bytes([member_row(n) for n in range(1, 31)])
    response = post(url, {"file": (io.BytesIO(good), "members.csv")},
                    content_type="multipart/form-data")
    page = text(client.get(response.headers["Location"]))
    assert "30 companies added: 30 invited to sign up, 0 already on ChainGauge" in page

    board = text(client.get(f"/t/{association.slug}/campaigns/{found.id}"))
    assert re.search(r"Invited</span> <strong>30</strong>", board)
    assert "Page 1 of 2" in board and "Fujian" in board and "Manufacture of motor vehicles" in board
    filtered = text(client.get(f"/t/{association.slug}/campaigns/{found.id}?q=member7%40"))
    assert filtered.count('class="participant ') == 1
    export = client.get(f"/t/{association.slug}/campaigns/{found.id}/export.csv")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Company name", "Unified social credit code"]
    assert len(rows) == 31 and rows[1][7] == "Invited"
    xlsx = client.get(f"/t/{association.slug}/campaigns/{found.id}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_add_one_participant_checks_the_credit_code(app, client, sign_in, post, association):
    found = make_campaign(app, association)
    sign_in(owner_of(app, association))
    url = f"/t/{association.slug}/campaigns/{found.id}/participants"
    row = dict(zip(["company_name", "credit_code", "contact_name", "email"],
                   member_row(1)[:4], strict=True))
    response = post(url, {**row, "credit_code": row["credit_code"][:-1] + "0"
                          if row["credit_code"][-1] != "0" else row["credit_code"][:-1] + "1"})
    assert response.status_code == 422
    assert "The last character does not match" in text(response)
    assert post(url, row).status_code == 302
    response = post(url, row)
    assert "already in the campaign" in text(response)


def test_remind_now_sends_to_the_selection_once(app, client, sign_in, post, association,
                                                 fetch, outbox):
    found = make_campaign(app, association)
    upload(app, association, found, csv_bytes([member_row(1), member_row(2)]))
    [first] = fetch(Participant, Participant.email == "member1@example.com")
    sign_in(owner_of(app, association))
    before = len(outbox())
    url = f"/t/{association.slug}/campaigns/{found.id}/remind"
    response = post(url, {"participant": [str(first.id)]}, follow_redirects=True)
    assert "Reminders sent: 1." in flashes(response)
    assert [m["To"] for m in outbox()[before:]] == ["member1@example.com"]
    board = text(client.get(f"/t/{association.slug}/campaigns/{found.id}?q=member1%40"))
    assert re.search(r'<td class="num">1</td>\s*</tr>', board)  # "reminders sent: 1"
    response = post(url, {"participant": [str(first.id)]}, follow_redirects=True)
    assert len(outbox()) == before + 1  # the same minute: a double click sends once


def test_the_invitation_link_signs_up_with_the_organisation_filled_in(
        app, client, sign_in, association, fetch, outbox):
    from tests.conftest import csrf_token, mail_links

    found = make_campaign(app, association)
    upload(app, association, found, csv_bytes([member_row(1), member_row(2)]))
    [mail] = [m for m in outbox() if m["To"] == "member1@example.com"]
    join = next(u for u in mail_links(mail) if "/campaigns/join/" in u).replace(
        "http://localhost", "")
    page = text(client.get(join))
    assert 'value="福建测试制造1有限公司"' in page and 'value="member1@example.com"' in page
    token = csrf_token(client, join)
    response = client.post(join, data={
        "csrf_token": token, "action": "signup", "organisation": "福建测试制造1有限公司",
        "name": "联系人1", "email": "member1@example.com", "password": "a-long-password-1",
        "privacy": "y"})
    assert "Check your e-mail" in text(response)
    [joined] = fetch(Participant, Participant.email == "member1@example.com")
    assert joined.enterprise_tenant_id is not None
    [link] = fetch(TenantLink, TenantLink.target_tenant_id == joined.enterprise_tenant_id)
    assert (link.source_tenant_id, link.status) == (association.id, "pending")
    assert client.get(join).status_code == 200  # used: "already answered", nothing else
    assert "already been answered" in text(client.get(join))

    [mail2] = [m for m in outbox() if m["To"] == "member2@example.com"]
    join2 = next(u for u in mail_links(mail2) if "/campaigns/join/" in u).replace(
        "http://localhost", "")
    response = client.post(join2, data={"csrf_token": csrf_token(client, join2),
                                        "action": "decline"})
    assert "Invitation declined" in text(response)
    assert client.get(join2.replace("join/", "join/x")).status_code == 400

    sign_in(owner_of(app, association))
    board = text(client.get(f"/t/{association.slug}/campaigns/{found.id}"))
    assert re.search(r"Signed up</span> <strong>1</strong>", board)
    assert re.search(r"Declined</span> <strong>1</strong>", board)
