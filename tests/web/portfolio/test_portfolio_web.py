"""The consultancy's client board: a row per client in every state, names and rows that
open the client's assessment as its link allows, 404 without the link or the grant, and
filters, sorting and pagination done in SQL."""

from __future__ import annotations

import re

EN = {"Accept-Language": "en"}


def _board(client, consultancy, query=""):
    response = client.get(f"/t/{consultancy.slug}/portfolio/{query}", headers=EN)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _row(html, name):
    for row in re.findall(r'<tr class="portfolio-row.*?</tr>', html, re.S):
        if f">{name}<" in row:
            return row
    raise AssertionError(f"no row for {name}")


def test_every_state_has_a_row_with_its_status_and_a_link_that_opens_it(
        client, sign_in, portfolio):
    sign_in(portfolio["owner"])
    consultancy, clients = portfolio["consultancy"], portfolio["clients"]
    html = _board(client, consultancy)
    expected = {"draft": "In progress", "submitted": "Submitted, waiting for review",
                "returned": "Returned with comments", "finalised": "Finalised",
                "none": "Not started"}
    for state, label in expected.items():
        row = _row(html, f"Client {state}")
        assert label in row, (state, row)
        # the client's name is a link to its page
        assert f"/portfolio/clients/{clients[state].id}" in row
    for state, assessment in portfolio["assessments"].items():
        row = _row(html, f"Client {state}")
        assert f"/clients/{clients[state].id}/assessments/{assessment.id}/" in row
        # and each row's link really opens the assessment, whatever its state
        link = re.search(rf'href="(/t/[^"]*/assessments/{assessment.id}/[^"]*)"', row).group(1)
        opened = client.get(link, headers=EN)
        assert opened.status_code == 200, (state, link)
    finalised = _row(html, "Client finalised")
    assert re.search(r'class="num">\d+\.\d<', finalised), "the finalised score is shown"
    # a client whose link grants only scores is listed, but opens nothing
    scores_only = _row(html, "Client scores only")
    assert "Link does not grant review" in scores_only
    assert "/assessments/" not in scores_only
    assert "Stranger" not in html


def test_the_client_page_lists_its_assessments_and_opens_them(client, sign_in, portfolio):
    sign_in(portfolio["owner"])
    consultancy = portfolio["consultancy"]
    returned = portfolio["clients"]["returned"]
    page = client.get(f"/t/{consultancy.slug}/portfolio/clients/{returned.id}", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assessment = portfolio["assessments"]["returned"]
    assert f"/clients/{returned.id}/assessments/{assessment.id}/review" in html
    review = client.get(f"/t/{consultancy.slug}/clients/{returned.id}/assessments/"
                        f"{assessment.id}/review", headers=EN)
    assert review.status_code == 200 and "Check it" in review.get_data(as_text=True)


def test_a_client_without_the_grant_or_without_a_link_is_a_404(client, sign_in, portfolio):
    sign_in(portfolio["owner"])
    slug = portfolio["consultancy"].slug
    for enterprise in (portfolio["scores_only"], portfolio["stranger"]):
        assert client.get(f"/t/{slug}/portfolio/clients/{enterprise.id}").status_code == 404
    stranger = portfolio["stranger_assessment"]
    assert client.get(f"/t/{slug}/clients/{portfolio['stranger'].id}/assessments/"
                      f"{stranger.id}/review").status_code == 404
    assert client.get(f"/t/{slug}/portfolio/assignment?client={portfolio['stranger'].id}"
                      ).status_code == 404


def test_only_a_consultancy_has_a_board(client, sign_in, make_user, make_tenant):
    owner = make_user()
    sign_in(owner)
    for kind in ("enterprise", "association"):
        tenant = make_tenant(kind, owner=owner)
        assert client.get(f"/t/{tenant.slug}/portfolio/").status_code == 404


def test_filters_sorting_and_pagination(app, client, sign_in, portfolio, monkeypatch):
    from assessment.portfolio import queries

    sign_in(portfolio["owner"])
    consultancy = portfolio["consultancy"]
    only_returned = _board(client, consultancy, "?status=returned")
    assert "Client returned" in only_returned and "Client draft" not in only_returned
    searched = _board(client, consultancy, "?q=FINAL")
    assert "Client finalised" in searched and "Client draft" not in searched
    by_name_desc = _board(client, consultancy, "?sort=-name")
    names = re.findall(r'class="portfolio-client"[^>]*>([^<]+)<', by_name_desc)
    assert names == sorted(names, reverse=True) and len(names) == 5
    by_status = _board(client, consultancy, "?sort=status")
    order = re.findall(r'<tr class="portfolio-row portfolio-(\w+)', by_status)
    assert order[0] == "submitted" and order[1] == "returned"
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    first = _board(client, consultancy)
    third = _board(client, consultancy, "?page=3")
    assert "Page 1 of 3" in first and 'rel="next"' in first
    assert "Page 3 of 3" in third and 'rel="next"' not in third
    assert len(re.findall(r'<tr class="portfolio-row', third)) == 2
    assert client.get(f"/t/{consultancy.slug}/portfolio/?status=nonsense").status_code == 400


def test_the_reviewer_and_due_date_are_recorded_and_shown(client, sign_in, post, portfolio,
                                                          make_user, add_member):
    from tenants.models import Role

    consultancy = portfolio["consultancy"]
    colleague = make_user(name="审核员乙")
    add_member(consultancy, colleague, Role.assessor)
    sign_in(portfolio["owner"])
    target = portfolio["clients"]["submitted"]
    url = f"/t/{consultancy.slug}/portfolio/assignment?client={target.id}"
    assert client.get(url).status_code == 200
    saved = post(url, {"reviewer": str(colleague.id), "due_on": "2026-03-31"})
    assert saved.status_code == 303
    html = _board(client, consultancy)
    row = _row(html, "Client submitted")
    assert "审核员乙" in row and "2026-03-31" in row
    mine = _board(client, consultancy, f"?reviewer={colleague.id}")
    assert "Client submitted" in mine and "Client draft" not in mine
    by_due = _board(client, consultancy, "?sort=due")
    assert re.findall(r'class="portfolio-client"[^>]*>([^<]+)<', by_due)[0] == \
        "Client submitted"
    # a viewer of the consultancy sees the board but may not change the plan
    viewer = make_user()
    add_member(consultancy, viewer, Role.viewer)
    sign_in(viewer)
    assert "/portfolio/assignment" not in _board(client, consultancy)
    assert post(url, {"reviewer": ""}).status_code == 403


def test_the_consultancy_home_and_queue_link_to_the_clients(client, sign_in, portfolio):
    sign_in(portfolio["owner"])
    slug = portfolio["consultancy"].slug
    html = client.get(f"/t/{slug}/", headers=EN).get_data(as_text=True)
    assert f"/t/{slug}/portfolio/" in html and "Returned with comments" in html
    queue = client.get(f"/t/{slug}/clients/reviews", headers=EN).get_data(as_text=True)
    submitted = portfolio["clients"]["submitted"]
    assert f'href="/t/{slug}/portfolio/clients/{submitted.id}">Client submitted</a>' in queue
