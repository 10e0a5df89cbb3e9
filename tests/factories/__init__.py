"""Small callable factories for the tests, in one package.

Each builds through the real services and commits into the test's rolled-back transaction, so
the objects are what the product itself would create. One module per area:

- :mod:`tests.factories.platform`: users, tenants, members, links, invitations, sign-in
  (re-exported here: ``from tests import factories; factories.make_user(app)``);
- :mod:`tests.factories.assessments`: enterprises with a profile, assessments with answers;
- :mod:`tests.factories.files`: uploaded file contents, good and hostile;
- :mod:`tests.factories.assessment_io`: assessments for the import/export tests;
- :mod:`tests.factories.dashboard`: association members in every state, fast;
- :mod:`tests.factories.questionnaire`: the questionnaire's fixtures and URLs.

The old paths (``tests/integration/assessment_review/factories.py`` and the like) re-export
these modules, so imports written before the move keep working.
"""

from __future__ import annotations

from tests.factories.platform import (
    PASSWORD,
    _counter,
    add_member,
    audit_actions,
    fetch,
    make_invitation,
    make_link,
    make_tenant,
    make_user,
    owner_of,
    sign_in,
)

__all__ = [
    "PASSWORD",
    "_counter",
    "add_member",
    "audit_actions",
    "fetch",
    "make_invitation",
    "make_link",
    "make_tenant",
    "make_user",
    "owner_of",
    "sign_in",
]
