"""The association dashboard through the browser: pages, filters, exports, isolation and
the plan's entitlement."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.factories import owner_of
from tests.integration.billing.helpers import subscribe
from tests.integration.dashboard.factories import revoke
from tests.web.helpers import ENGLISH, field_error, text


def _five(member, association, **kwargs):
    return [member(association, "finalised", name=f"Peer {o}", overall=o,
                   scores={"lean.on_time_delivery_rate": o}, **kwargs)
            for o in (40, 50, 60, 70, 80)]


def test_the_dashboard_lists_members_with_statuses_levels_and_breakdowns(
        app, client, sign_in, association, member):
    _five(member, association)
    member(association, None, name="Invited Co", link_status="pending")
    member(association, "submitted", name="Submitted Co")
    sign_in(owner_of(app, association))
    response = client.get(f"/t/{association.slug}/dashboard/?year=2025", headers=ENGLISH)
    assert response.status_code == 200
    body = text(response)
    assert "Invited Co" in body and "Submitted Co" in body and "Peer 80" in body
    assert 'class="member-row member-invited"' in body
    assert 'class="member-row member-submitted"' in body
    assert "Level distribution" in body and 'class="chart histogram"' in body
    assert "Overall levels of 5 finalised members." in body
    assert "Manufacture of motor vehicles" in body  # the industry breakdown
    assert "at least 5 enterprises" in body  # the anonymity rule, published
    assert f'href="/t/{association.slug}/dashboard/"' in body  # nav: Dashboard
    assert "/clients/reviews" in body  # nav: Reviews


def test_distributions_page_shows_box_plots_and_suppresses_small_cohorts(
        app, client, sign_in, association, member):
    _five(member, association)
    sign_in(owner_of(app, association))
    body = text(client.get(f"/t/{association.slug}/dashboard/distributions?year=2025",
                           headers=ENGLISH))
    lean = body.split('id="dist-lean.on_time_delivery_rate"', 1)[1].split("</tr>", 1)[0]
    assert 'class="chart box-plot"' in lean and 'class="chart histogram"' in lean
    assert "P10 44.0" in lean and "40.0" not in lean and "80.0" not in lean
    other = body.split('id="dist-lean.inventory_turnover"', 1)[1].split("</tr>", 1)[0]
    assert "fewer than 5" in other and "box-plot" not in other


def test_filters_and_search_narrow_the_list_and_a_bad_filter_names_its_field(
        app, client, sign_in, association, member):
    member(association, "finalised", name="Xiamen Auto Parts", division="C36")
    member(association, "draft", name="Fuzhou Textiles", division="C17")
    sign_in(owner_of(app, association))
    url = f"/t/{association.slug}/dashboard/"
    body = text(client.get(url + "?year=2025&q=auto", headers=ENGLISH))
    assert "Xiamen Auto Parts" in body and "Fuzhou Textiles" not in body
    body = text(client.get(url + "?year=2025&status=in_progress", headers=ENGLISH))
    assert "Fuzhou Textiles" in body and "Xiamen Auto Parts" not in body
    body = text(client.get(url + "?year=2025&industry=textiles_apparel", headers=ENGLISH))
    assert "Fuzhou Textiles" in body and "Xiamen Auto Parts" not in body
    response = client.get(url + "?year=2025&industry=C99", headers=ENGLISH)
    assert response.status_code == 400
    assert field_error(response, "industry") == "Not a valid choice."
    assert "Xiamen Auto Parts" not in text(response)
    response = client.get(url + "?year=soon", headers=ENGLISH)
    assert response.status_code == 400 and field_error(response, "year")


def test_csv_and_xlsx_exports_hold_what_the_page_shows(app, client, sign_in, association,
                                                      member):
    _five(member, association)
    member(association, "draft", name="=HYPERLINK(\"http://x\")")
    sign_in(owner_of(app, association))
    base = f"/t/{association.slug}/dashboard"
    response = client.get(f"{base}/export.csv?table=members&year=2025", headers=ENGLISH)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM that Excel needs
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Enterprise", "Status", "Year"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Peer 70"][1] == "Finalised" and by_name["Peer 70"][6] == "70.0"
    assert "'=HYPERLINK(\"http://x\")" in by_name  # never run as a formula
    levels = list(csv.reader(io.StringIO(
        client.get(f"{base}/export.csv?table=levels&year=2025").data.decode("utf-8-sig"))))
    assert levels[1:] == [["L1", "0", "0.0"], ["L2", "0", "0.0"], ["L3", "2", "40.0"],
                          ["L4", "2", "40.0"], ["L5", "1", "20.0"]]
    dists = list(csv.reader(io.StringIO(client.get(
        f"{base}/export.csv?table=distributions&year=2025").data.decode("utf-8-sig"))))
    lean = next(r for r in dists if r[0] == "lean.on_time_delivery_rate")
    assert lean[3:10] == ["5", "60.0", "44.0", "50.0", "60.0", "70.0", "76.0"]
    assert "min" not in dists[0] and "max" not in dists[0]
    assert client.get(f"{base}/export.csv?table=secrets").status_code == 400

    response = client.get(f"{base}/export.xlsx?year=2025", headers=ENGLISH)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Members", "Levels", "Distributions", "Breakdowns"]
    names = [row[0] for row in book["Members"].iter_rows(min_row=2, values_only=True)]
    assert "Peer 40" in names and "'=HYPERLINK(\"http://x\")" in names
    assert book["Members"]["A1"].value == "Enterprise"
    assert all(cell.data_type != "f" for row in book["Members"].iter_rows() for cell in row)


def test_the_dashboard_follows_the_links(app, client, sign_in, association, member,
                                        make_tenant):
    members = _five(member, association)
    member(association, "finalised", name="Review Only Co", grants=("review",))
    sign_in(owner_of(app, association))
    url = f"/t/{association.slug}/dashboard/?year=2025"
    body = text(client.get(url, headers=ENGLISH))
    assert "Review Only Co" not in body
    assert "1 linked enterprise does not share its scores" in body
    revoke(app, association, members[0])
    body = text(client.get(url, headers=ENGLISH))
    assert "Peer 40" not in body
    assert "Not shown: fewer than 5 finalised members" in body
    csv_body = client.get(f"/t/{association.slug}/dashboard/export.csv?year=2025").data
    assert b"Peer 40" not in csv_body


def test_only_an_associations_members_reach_its_dashboard(app, client, sign_in, association,
                                                         make_tenant):
    enterprise = make_tenant("enterprise")
    consultancy = make_tenant("consultancy")
    sign_in(owner_of(app, enterprise))
    for slug in (association.slug, enterprise.slug):
        assert client.get(f"/t/{slug}/dashboard/").status_code == 404
        assert client.get(f"/t/{slug}/dashboard/export.xlsx").status_code == 404
    sign_in(owner_of(app, consultancy))
    assert client.get(f"/t/{consultancy.slug}/dashboard/").status_code == 404
    assert client.get(f"/t/{consultancy.slug}/dashboard/distributions").status_code == 404


def test_with_billing_on_the_dashboard_needs_the_association_plan(
        app, client, sign_in, association, member, billing):
    _five(member, association)
    sign_in(owner_of(app, association))
    for path in ("/", "/distributions", "/export.csv", "/export.xlsx"):
        response = client.get(f"/t/{association.slug}/dashboard{path}", headers=ENGLISH)
        assert response.status_code == 403
        assert "Member dashboards is not included in your plan" in text(response)
        assert f"/t/{association.slug}/billing/" in text(response)
    subscribe(app, association, "association", quantity=10)
    response = client.get(f"/t/{association.slug}/dashboard/?year=2025", headers=ENGLISH)
    assert response.status_code == 200 and "Peer 60" in text(response)


def test_the_dashboard_speaks_chinese_by_default(app, client, sign_in, association, member):
    _five(member, association)
    sign_in(owner_of(app, association))
    response = client.get(f"/t/{association.slug}/dashboard/distributions?year=2025")
    assert response.status_code == 200
    assert "精益供应链" in text(response) and "准时交货率" in text(response)
    response = client.get(f"/t/{association.slug}/dashboard/?year=2025")
    assert response.status_code == 200 and "规划级" in text(response)  # level 1's name


def test_the_member_list_is_paginated_and_sorted_by_the_database(
        app, client, sign_in, association, member, monkeypatch):
    from assessment.dashboard import members

    monkeypatch.setattr(members, "PER_PAGE", 2)
    _five(member, association)
    member(association, None, name="Idle Co")
    sign_in(owner_of(app, association))
    url = f"/t/{association.slug}/dashboard/?year=2025"

    def names(query):
        body = text(client.get(url + query, headers=ENGLISH))
        rows = body.split('class="member-row', )[1:]
        return [row.split("<td>", 1)[1].split("</td>", 1)[0] for row in rows], body

    first, body = names("&sort=-overall")
    assert first == ["Peer 80", "Peer 70"]
    assert "6 of 6" in body and "Page 1 of 3" in body
    assert "page=2" in body and "sort=-overall" in body  # the next page keeps the sort
    assert names("&sort=-overall&page=3")[0] == ["Peer 40", "Idle Co"]  # no score: last
    assert names("&sort=name&page=1")[0] == ["Idle Co", "Peer 40"]
    only, body = names("&status=finalised&sort=overall&page=3")
    assert only == ["Peer 80"] and "5 of 6" in body
    assert names("&page=9")[0] == []  # past the end: an empty page, not an error
    response = client.get(url + "&page=0", headers=ENGLISH)
    assert response.status_code == 400 and field_error(response, "page")
    response = client.get(url + "&sort=secret", headers=ENGLISH)
    assert response.status_code == 400 and field_error(response, "sort")
