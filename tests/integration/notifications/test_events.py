"""The events that exist today notify the right people, in words, on both databases: a link
request (the enterprise's owners and administrators), an invitation (an existing account
only), an assessment returned with comments (its assessors), a finalisation (the
enterprise's members and the members of organisations with an accepted link)."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale

from assessment.assessments import queries as assessment_queries
from assessment.assessments import services as lifecycle
from assessment.assessments.models import PageAssignment
from assessment.review import services as review_services
from tenants.extensions import db
from tenants.models import LinkGrant, Role
from tenants.notifications.events import render
from tenants.notifications.models import Notification, NotificationDelivery
from tenants.services import memberships
from tests.factories import make_link, owner_of
from tests.factories.assessments import acting_in, make_assessment, membership_of


def told(fetch: Any, event: str) -> dict[Any, Notification]:
    return {n.user_id: n for n in fetch(Notification) if n.event == event}


def english(app: Any, note: Notification) -> tuple[str, str]:
    with app.test_request_context(), force_locale("en"):
        return render(note.event, note.params)


def test_a_link_request_tells_the_enterprises_owners_and_administrators(
        app, make_tenant, make_user, add_member, fetch, outbox):
    enterprise = make_tenant("enterprise", name="Acme Motors")
    admin, viewer = make_user(), make_user()
    add_member(enterprise, admin, Role.admin)
    add_member(enterprise, viewer, Role.viewer)
    association = make_tenant("association", name="Jiangsu Machinery Association")
    make_link(app, association, enterprise, accept=False)

    notes = told(fetch, "link.requested")
    owner = owner_of(app, enterprise)
    assert set(notes) == {owner.id, admin.id}
    note = notes[owner.id]
    assert note.url == f"/t/{enterprise.slug}/links" and note.tenant_id == enterprise.id
    assert english(app, note)[0] == ("Jiangsu Machinery Association asks to link with your "
                                     "enterprise")
    assert sorted(m["To"] for m in outbox()) == sorted([owner.email, admin.email])
    with app.test_request_context(), force_locale("zh_CN"):
        title, _body = render(note.event, note.params)
    assert "Jiangsu Machinery Association" in title and "asks" not in title  # Chinese


def test_an_invitation_tells_an_existing_account_in_the_app(app, make_tenant, make_user,
                                                             fetch, outbox):
    tenant = make_tenant("enterprise", name="Acme Motors")
    existing = make_user()
    with acting_in(app, tenant):
        owner = db.session.merge(owner_of(app, tenant))
        memberships.invite(db.session.merge(tenant), owner, existing.email, Role.assessor)
        memberships.invite(db.session.merge(tenant), owner, "new-person@example.com",
                           Role.viewer)
    notes = told(fetch, "member.invited")
    assert list(notes) == [existing.id]  # the new address has no account to tell
    title, body = english(app, notes[existing.id])
    assert title == "You are invited to join Acme Motors" and existing.email in body
    assert notes[existing.id].url is None  # the token lives only in the e-mail
    # only the two invitation e-mails: the notification adds none
    assert sorted(m["To"] for m in outbox()) == sorted([existing.email,
                                                        "new-person@example.com"])
    assert [d for d in fetch(NotificationDelivery) if d.event == "member.invited"] == []


def test_a_returned_assessment_tells_its_assessors(app, make_tenant, make_user, add_member,
                                                    fetch):
    enterprise = make_tenant("enterprise", name="Acme Motors")
    assessor, bystander = make_user(), make_user()
    add_member(enterprise, assessor, Role.assessor)
    add_member(enterprise, bystander, Role.assessor)
    assessment = make_assessment(app, enterprise)
    with acting_in(app, enterprise):
        # the owner gives the assessor a page (the owner started it and saved answers)
        db.session.add(PageAssignment(assessment_id=assessment.id, page="lean",
                                      user_id=assessor.id))
    with acting_in(app, enterprise):
        owner = db.session.merge(owner_of(app, enterprise))
        stored = assessment_queries.assessment(assessment.id)
        lifecycle.submit(stored, membership_of(enterprise, owner))
        lifecycle.add_comment(stored, owner, enterprise.id, "please check the rate")
        reviewer = review_services.Reviewer(owner, enterprise.id, Role.owner, linked=False,
                                            tenant_name="Acme Motors")
        review_services.return_for_changes(reviewer, stored, None)

    notes = told(fetch, "assessment.returned")
    assert set(notes) == {owner.id, assessor.id}  # who started it, who answered
    title, body = english(app, notes[assessor.id])
    assert title == "The 2024 assessment of Acme Motors was returned with comments"
    assert body.startswith("Acme Motors asks for changes")
    assert notes[assessor.id].url == f"/t/{enterprise.slug}/assessments/{assessment.id}"


def test_a_finalisation_tells_the_enterprise_and_linked_organisations(
        app, make_tenant, make_user, add_member, fetch):
    enterprise = make_tenant("enterprise", name="Acme Motors")
    colleague = make_user()
    add_member(enterprise, colleague, Role.viewer)
    association = make_tenant("association")
    association_member = make_user()
    add_member(association, association_member, Role.viewer)
    make_link(app, association, enterprise, grants=(LinkGrant.scores,))
    consultancy = make_tenant("consultancy")
    make_link(app, consultancy, enterprise, grants=(LinkGrant.review,))
    pending = make_tenant("consultancy")
    make_link(app, pending, enterprise, accept=False)
    assessment = make_assessment(app, enterprise, finalise=True)

    notes = told(fetch, "assessment.finalised")
    expected = {owner_of(app, enterprise).id, colleague.id, owner_of(app, association).id,
                association_member.id, owner_of(app, consultancy).id}
    assert set(notes) == expected  # not the organisation whose request is pending
    assert notes[colleague.id].url == (f"/t/{enterprise.slug}/assessments/{assessment.id}"
                                       "/results")
    assert notes[owner_of(app, consultancy).id].url == (
        f"/t/{consultancy.slug}/clients/{enterprise.id}/assessments/{assessment.id}/results")
    assert english(app, notes[colleague.id])[0] == ("The 2024 assessment of Acme Motors is "
                                                    "final")
