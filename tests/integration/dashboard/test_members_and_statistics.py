"""The association dashboard's services: statuses, filters, statistics under the anonymity
rule, and what the links grant."""

from __future__ import annotations

from assessment.dashboard import services
from assessment.dashboard.filters import Filters, MemberStatus
from assessment.dashboard.members import member_list
from tests.integration.dashboard.factories import revoke


def _list(in_request, association, **filters):
    return in_request(association, lambda: member_list(
        association.id, 2025, Filters(year=2025, **filters)))


def _dashboard(in_request, association, **filters):
    return in_request(association, lambda: services.dashboard(
        association, Filters(year=2025, **filters), "en"))


def test_each_member_has_its_status_for_the_year(in_request, association, member):
    member(association, None, name="Invited Co", link_status="pending")
    member(association, None, name="Idle Co")
    member(association, "draft", name="Drafting Co")
    member(association, "returned", name="Returned Co")
    member(association, "submitted", name="Submitted Co")
    member(association, "finalised", name="Final Co", overall=72.5)
    member(association, "finalised", name="Last Year Co", year=2024)
    found = _list(in_request, association)
    statuses = {row.name: row.status for row in found.rows}
    assert statuses == {
        "Invited Co": MemberStatus.invited, "Idle Co": MemberStatus.not_started,
        "Drafting Co": MemberStatus.in_progress, "Returned Co": MemberStatus.in_progress,
        "Submitted Co": MemberStatus.submitted, "Final Co": MemberStatus.finalised,
        "Last Year Co": MemberStatus.not_started,
    }
    final = next(r for r in found.rows if r.name == "Final Co")
    assert (final.overall_score, final.overall_level) == (72.5, 4)
    assert found.status_counts[MemberStatus.in_progress] == 2
    assert [r.name for r in found.rows] == sorted(statuses, key=str.casefold)


def test_the_list_holds_only_links_that_share_scores(in_request, association, member,
                                                     make_tenant, app):
    member(association, "finalised", name="Sharing Co")
    member(association, "finalised", name="Review Only Co", grants=("review",))
    member(association, "finalised", name="Declined Co", link_status="declined")
    gone = member(association, "finalised", name="Revoked Co")
    revoke(app, association, gone)
    other = make_tenant("association")
    member(other, "finalised", name="Someone Else's Co")
    found = _list(in_request, association)
    assert [r.name for r in found.rows] == ["Sharing Co"]
    assert found.without_scores == 1
    assert found.total == 1


def test_filters_and_search(in_request, association, member):
    member(association, "finalised", name="Xiamen Auto Parts", division="C36", province="35")
    member(association, "finalised", name="Fuzhou Textiles", division="C17", province="35",
           size_class="small")
    member(association, "draft", name="Nanjing Motors", division="C36", province="32")
    assert [r.name for r in _list(in_request, association, industry="equipment").rows] == [
        "Nanjing Motors", "Xiamen Auto Parts"]
    assert [r.name for r in _list(in_request, association, industry="C17").rows] == [
        "Fuzhou Textiles"]
    assert [r.name for r in _list(in_request, association, province="35",
                                  size_class="small").rows] == ["Fuzhou Textiles"]
    assert [r.name for r in _list(in_request, association, status="in_progress").rows] == [
        "Nanjing Motors"]
    assert [r.name for r in _list(in_request, association, search="auto").rows] == [
        "Xiamen Auto Parts"]


def test_level_distribution_counts(in_request, association, member):
    for overall in (15, 35, 45, 65, 66, 95):
        member(association, "finalised", overall=overall)
    member(association, "draft")
    found = _dashboard(in_request, association)
    assert found.levels.shown and found.levels.n == 6
    assert found.levels.counts == {1: 1, 2: 1, 3: 1, 4: 2, 5: 1}
    assert round(found.levels.share(4), 1) == 33.3


def test_statistics_are_suppressed_below_five_and_shown_at_five(in_request, association,
                                                                 member):
    for overall in (40, 50, 60, 70):
        member(association, "finalised", overall=overall,
               scores={"lean.on_time_delivery_rate": overall})
    found = _dashboard(in_request, association)
    assert not found.levels.shown and found.levels.counts == {}
    distributions = in_request(association, lambda: services.code_distributions(
        association, Filters(year=2025), "en"))
    lean = next(d for d in distributions if d.code == "lean")
    assert lean.summary is None and lean.histogram == ()

    member(association, "finalised", overall=80, scores={"lean.on_time_delivery_rate": 80})
    found = _dashboard(in_request, association)
    assert found.levels.shown
    distributions = in_request(association, lambda: services.code_distributions(
        association, Filters(year=2025), "en"))
    by_code = {d.code: d for d in distributions}
    lean = by_code["lean"]
    assert lean.summary is not None and lean.summary.n == 5
    assert lean.summary.median == 60 and lean.summary.q1 == 50 and lean.summary.q3 == 70
    assert lean.summary.p10 == 44 and lean.summary.p90 == 76  # never 40 or 80
    assert not hasattr(lean.summary, "min") and not hasattr(lean.summary, "max")
    assert lean.histogram == (0, 0, 2, 2, 1)
    assert by_code["lean.on_time_delivery_rate"].summary.n == 5
    assert by_code["lean.inventory_turnover"].summary is None  # nobody scored it


def test_breakdowns_coarsen_small_groups_instead_of_suppressing(in_request, association,
                                                                member):
    for overall in (40, 50, 60, 70, 80):
        member(association, "finalised", overall=overall, division="C36", size_class="large")
    for overall in (30, 35, 45):
        member(association, "finalised", overall=overall, division="C17", size_class="large")
    for overall in (20, 25):
        member(association, "finalised", overall=overall, division="C26", size_class="large")
    for overall in (55, 65):
        member(association, "finalised", overall=overall, division="C34", size_class="small")
    for overall in (75, 85, 90):
        member(association, "finalised", overall=overall, division="C35", size_class="micro")
    found = _dashboard(in_request, association)
    industry = next(b for b in found.breakdowns if b.by == "industry")
    rows = {row.key: row for row in industry.rows}
    # C36 alone has five; C34 and C35 combine into their group; C17 and C26 (two groups
    # of fewer than five) combine at the level of all manufacturing
    assert rows["C36"].summary.n == 5 and rows["C36"].summary.median == 60
    assert rows["equipment"].summary.n == 5 and rows["equipment"].combined
    assert rows["*"].summary.n == 5 and rows["*"].combined
    assert all(row.summary is not None for row in industry.rows)
    assert industry.note and not industry.left_out
    size = next(b for b in found.breakdowns if b.by == "size")
    assert [(r.key, r.summary.n) for r in size.rows] == [("large", 10), ("small_micro", 5)]


def test_filters_narrow_the_statistics(in_request, association, member):
    for overall in (40, 50, 60, 70, 80):
        member(association, "finalised", overall=overall, province="35")
    member(association, "finalised", overall=10, province="32")
    assert _dashboard(in_request, association).levels.n == 6
    assert _dashboard(in_request, association, province="35").levels.n == 5
    assert not _dashboard(in_request, association, province="32").levels.shown
    # the status and the name narrow the list only, never a statistic
    found = _dashboard(in_request, association, search="nobody")
    assert found.members.rows == [] and found.levels.n == 6


def test_a_revoked_link_drops_out_of_every_statistic(in_request, association, member, app):
    members = [member(association, "finalised", overall=o) for o in (40, 50, 60, 70, 80)]
    assert _dashboard(in_request, association).levels.shown
    revoke(app, association, members[0])
    found = _dashboard(in_request, association)
    assert not found.levels.shown
    assert members[0].name not in [r.name for r in found.members.rows]
