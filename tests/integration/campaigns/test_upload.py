"""Bulk upload of participants: all or nothing, every bad cell by row and column, duplicates
within the file, credit codes that already belong to an enterprise (both databases)."""

from __future__ import annotations

from typing import Any

import pytest

from assessment.campaigns.models import Participant
from tenants.models import TenantLink
from tests.integration.campaigns.factories import (
    credit_code,
    csv_bytes,
    give_credit_code,
    make_campaign,
    member_row,
    upload,
    xlsx_bytes,
)


@pytest.fixture
def association(make_tenant: Any) -> Any:
    return make_tenant("association", name="福建省制造业协会")


def _participants(fetch: Any, found: Any) -> list[Participant]:
    return fetch(Participant, Participant.campaign_id == found.id)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_valid_list_adds_and_invites_everyone(app, association, fetch, outbox, kind):
    found = make_campaign(app, association)
    rows = [member_row(n) for n in range(1, 6)]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    outcome = upload(app, association, found, data, f"members.{kind}")

    assert outcome.state == "done", outcome.problems
    assert outcome.counts == {"added": 5, "linked": 0, "invited": 5}
    stored = sorted(_participants(fetch, found), key=lambda p: p.email)
    assert [p.email for p in stored] == [f"member{n}@example.com" for n in range(1, 6)]
    # words in the file are stored as codes: C36, medium, 35 (Fujian)
    assert {(p.industry, p.size, p.province) for p in stored} == {("C36", "medium", "35")}
    mails = outbox()
    assert sorted(m["To"] for m in mails) == [f"member{n}@example.com" for n in range(1, 6)]
    assert "/campaigns/join/" in mails[0].get_content()
    assert upload and outcome.data == b""  # the personal data is not kept once applied


def test_every_kind_of_bad_cell_is_listed_by_row_and_column(app, association, fetch):
    found = make_campaign(app, association)
    bad_check = credit_code(7)[:-1] + ("0" if credit_code(7)[-1] != "0" else "1")
    rows = [
        member_row(1),                                   # row 2: fine
        member_row(2, name=""),                          # row 3: empty required cell
        member_row(3, code="12345"),                     # row 4: length
        member_row(4, code="91350100000000004I"),        # row 5: characters (I)
        member_row(5, code=bad_check),                   # row 6: check digit
        member_row(6, email="not-an-address"),           # row 7: e-mail
        member_row(8, industry="C99"),                   # row 8: industry
        member_row(9, size="巨型"),                      # row 9: size
        member_row(10, province="火星"),                 # row 10: province
        member_row(11, name="名" * 201),                 # row 11: too long
    ]
    outcome = upload(app, association, found, csv_bytes(rows), lang="en")

    assert outcome.state == "refused"
    found_cells = {(p["row"], p["column"], p["letter"]) for p in outcome.problems}
    assert found_cells == {
        (3, "company_name", "A"), (4, "credit_code", "B"), (5, "credit_code", "B"),
        (6, "credit_code", "B"), (7, "email", "D"), (8, "industry", "E"), (9, "size", "F"),
        (10, "province", "G"), (11, "company_name", "A"),
    }
    messages = {(p["row"]): p["message"] for p in outcome.problems}
    assert messages[4] == "A unified social credit code has 18 characters."
    assert messages[6] == "The last character does not match: check the code for a typing error."
    assert _participants(fetch, found) == []  # row 2 was fine, and is not added either


def test_problems_are_in_the_uploader_language(app, association):
    found = make_campaign(app, association)
    outcome = upload(app, association, found, csv_bytes([member_row(1, email="x")]), lang="zh")
    assert outcome.problems[0]["message"] != "This is not an e-mail address."
    assert outcome.problems[0]["message"]  # translated (zh_CN catalogue)


def test_a_missing_column_and_an_unreadable_file(app, association, fetch):
    found = make_campaign(app, association)
    two_columns = csv_bytes([["A 公司", credit_code(1)]], header=["企业名称", "统一社会信用代码"])
    outcome = upload(app, association, found, two_columns, lang="en")
    assert {(p["row"], p["column"]) for p in outcome.problems} == {
        (1, "contact_name"), (1, "email")}
    outcome = upload(app, association, found, b"PK\x03\x04 broken", "x.xlsx", lang="en")
    assert outcome.state == "refused"
    assert "cannot be read" in outcome.problems[0]["message"]
    assert _participants(fetch, found) == []


def test_duplicates_within_the_file_name_the_first_row(app, association, fetch):
    found = make_campaign(app, association)
    rows = [member_row(1), member_row(2), member_row(3, code=credit_code(1))]
    outcome = upload(app, association, found, csv_bytes(rows), lang="en")
    assert outcome.state == "refused"
    assert [(p["row"], p["column"], p["message"]) for p in outcome.problems] == [
        (4, "credit_code", "The same credit code is already in row 2.")]
    assert _participants(fetch, found) == []


def test_a_company_already_in_the_campaign_is_refused(app, association, fetch):
    found = make_campaign(app, association)
    assert upload(app, association, found, csv_bytes([member_row(1)])).state == "done"
    outcome = upload(app, association, found, csv_bytes([member_row(2), member_row(1)]),
                     lang="en")
    assert [(p["row"], p["message"]) for p in outcome.problems] == [
        (3, "This company is already in the campaign.")]
    assert len(_participants(fetch, found)) == 1


def test_an_existing_credit_code_links_that_enterprise(app, association, make_enterprise,
                                                       fetch, outbox):
    enterprise = make_enterprise(name="已注册企业")
    give_credit_code(app, enterprise, credit_code(2))
    found = make_campaign(app, association, grants=("scores", "reports"))
    outcome = upload(app, association, found, csv_bytes([member_row(1), member_row(2)]))

    assert outcome.counts == {"added": 2, "linked": 1, "invited": 1}
    by_code = {p.credit_code: p for p in _participants(fetch, found)}
    assert by_code[credit_code(2)].enterprise_tenant_id == enterprise.id
    assert by_code[credit_code(1)].enterprise_tenant_id is None
    [link] = fetch(TenantLink, TenantLink.source_tenant_id == association.id)
    assert (link.target_tenant_id, link.status, link.kind) == (
        enterprise.id, "pending", "association_member")  # it still has to consent
    assert sorted(link.grants) == ["reports", "scores"]
    # no second tenant was created for it: the contact is told to sign in and accept
    to_existing = [m for m in outbox() if m["To"] == "member2@example.com"]
    assert "/campaigns/join/" not in to_existing[0].get_content()


def test_a_large_list_is_applied_set_based(app, association, fetch):
    found = make_campaign(app, association)
    rows = [member_row(n) for n in range(1, 601)]
    outcome = upload(app, association, found, xlsx_bytes(rows), "big.xlsx")
    assert outcome.counts["added"] == 600
    assert len(_participants(fetch, found)) == 600


def test_a_list_beyond_the_plan_seats_is_refused_whole(app, make_tenant, make_enterprise,
                                                       fetch, billing):
    # a free association has two member seats; each link request holds one
    association = make_tenant("association", name="Free Association")
    for n in (1, 2, 3):
        give_credit_code(app, make_enterprise(name=f"已注册 {n}"), credit_code(n))
    found = make_campaign(app, association)
    outcome = upload(app, association, found, csv_bytes([member_row(n) for n in (1, 2, 3)]),
                     lang="en")
    assert outcome.state == "refused"
    assert "member seats" in outcome.problems[0]["message"]
    assert _participants(fetch, found) == []
    assert fetch(TenantLink, TenantLink.source_tenant_id == association.id) == []
