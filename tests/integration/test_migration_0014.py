"""Migration 0014's data fix, on a fresh database of each backend: verified labels that no
linked reviewer made become "internally reviewed", a linked reviewer's keep "verified" with
their organisation, and a revision a linked reviewer finalised names that organisation.

On PostgreSQL the rows are written under forced row-level security (as the app would) and the
migration runs as the owner, which is not exempt from it: the fix must still reach them."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from tenants.cli import MIGRATIONS_DIR
from tenants.types import UTCDateTime
from tests.conftest import BACKENDS
from tests.databases import postgres_database

WHEN = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
LATER = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)

TENANT = sa.table("tenant", sa.column("id", sa.Uuid()), sa.column("kind", sa.String()),
                  sa.column("name", sa.String()), sa.column("slug", sa.String()),
                  sa.column("locale", sa.String()), sa.column("plan", sa.String()),
                  sa.column("created_at", UTCDateTime()))
USER = sa.table("app_user", sa.column("id", sa.Uuid()), sa.column("email", sa.String()),
                sa.column("name", sa.String()), sa.column("password_hash", sa.String()),
                sa.column("is_active", sa.Boolean()),
                sa.column("created_at", UTCDateTime()))
MEMBERSHIP = sa.table("membership", sa.column("tenant_id", sa.Uuid()),
                      sa.column("user_id", sa.Uuid()), sa.column("role", sa.String()),
                      sa.column("created_at", UTCDateTime()))
LINK = sa.table("tenant_link", sa.column("id", sa.Uuid()),
                sa.column("source_tenant_id", sa.Uuid()), sa.column("target_tenant_id", sa.Uuid()),
                sa.column("kind", sa.String()), sa.column("status", sa.String()),
                sa.column("grants", sa.JSON()), sa.column("may_be_named", sa.Boolean()),
                sa.column("created_at", UTCDateTime()), sa.column("responded_at", UTCDateTime()))
ASSESSMENT = sa.table("assessment", sa.column("tenant_id", sa.Uuid()), sa.column("id", sa.Uuid()),
                      sa.column("year", sa.Integer()), sa.column("framework_id", sa.String()),
                      sa.column("framework_version", sa.String()), sa.column("state", sa.String()),
                      sa.column("revision", sa.Integer()), sa.column("version", sa.Integer()),
                      sa.column("created_at", UTCDateTime()),
                      sa.column("updated_at", UTCDateTime()))
STATE = sa.table("indicator_state", sa.column("tenant_id", sa.Uuid()), sa.column("id", sa.Uuid()),
                 sa.column("assessment_id", sa.Uuid()), sa.column("code", sa.String()),
                 sa.column("not_applicable", sa.Boolean()), sa.column("na_reason", sa.String()),
                 sa.column("confidence", sa.String()), sa.column("verified_by_id", sa.Uuid()),
                 sa.column("version", sa.Integer()), sa.column("updated_at", UTCDateTime()))
REVISION = sa.table("assessment_revision", sa.column("tenant_id", sa.Uuid()),
                    sa.column("id", sa.Uuid()), sa.column("assessment_id", sa.Uuid()),
                    sa.column("revision", sa.Integer()), sa.column("year", sa.Integer()),
                    sa.column("framework_id", sa.String()),
                    sa.column("framework_version", sa.String()),
                    sa.column("document", sa.JSON()), sa.column("results", sa.JSON()),
                    sa.column("confidence", sa.JSON()), sa.column("finalised_by_id", sa.Uuid()),
                    sa.column("finalised_at", UTCDateTime()))


@pytest.fixture(params=BACKENDS)
def owner_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each backend: the URL of the role that migrates it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migration-0014.db'}"
    else:
        for database in postgres_database():
            yield database.owner_url


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    config.attributes["url"] = url
    config.attributes["grantees"] = []
    return config


def _forced_tables(connection: sa.Connection) -> list[str]:
    return list(connection.execute(sa.text(
        "SELECT relname FROM pg_class WHERE relkind = 'r' AND relforcerowsecurity "
        "AND relnamespace = 'public'::regnamespace")).scalars())


@contextlib.contextmanager
def _rls_lifted(engine: sa.Engine) -> Iterator[None]:
    """Row-level security lifted for the owner meanwhile (PostgreSQL): since migration 0010
    the policies trust only a signed scope, which a test writing old data as the owner
    does not have. Forced again on the way out."""
    forced: list[str] = []
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            forced = _forced_tables(connection)
            for table in forced:
                connection.execute(sa.text(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY'))
    try:
        yield
    finally:
        with engine.begin() as connection:
            for table in forced:
                connection.execute(sa.text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))


def _seed(engine: sa.Engine) -> dict[str, Any]:
    with _rls_lifted(engine):
        return _write_old_data(engine)


def _write_old_data(engine: sa.Engine) -> dict[str, Any]:
    ids = {name: uuid.uuid4() for name in (
        "enterprise", "consultancy", "stranger_org", "owner", "consultant", "stranger", "dual",
        "own_final", "reviewed_final", "by_owner", "by_consultant", "by_stranger", "by_nobody",
        "by_dual", "documented", "own_revision", "reviewed_revision")}
    with engine.begin() as connection:
        for key, kind in (("enterprise", "enterprise"), ("consultancy", "consultancy"),
                          ("stranger_org", "consultancy")):
            connection.execute(TENANT.insert().values(
                id=ids[key], kind=kind, name=f"{key} name", slug=key.replace("_", "-"),
                locale="zh_CN", plan="free", created_at=WHEN))
        for key in ("owner", "consultant", "stranger", "dual"):
            connection.execute(USER.insert().values(
                id=ids[key], email=f"{key}@example.com", name=key, password_hash="x",
                is_active=True, created_at=WHEN))
        for tenant, user in (("enterprise", "owner"), ("consultancy", "consultant"),
                             ("stranger_org", "stranger"), ("enterprise", "dual"),
                             ("consultancy", "dual")):
            connection.execute(MEMBERSHIP.insert().values(
                tenant_id=ids[tenant], user_id=ids[user], role="owner", created_at=WHEN))
        for source, grants in (("consultancy", ["review", "reports"]),
                               ("stranger_org", ["scores"])):
            connection.execute(LINK.insert().values(
                id=uuid.uuid4(), source_tenant_id=ids[source],
                target_tenant_id=ids["enterprise"], kind="consultancy_client",
                status="accepted", grants=grants, may_be_named=False, created_at=WHEN,
                responded_at=WHEN))
    with engine.begin() as connection:
        for key, year in (("own_final", 2023), ("reviewed_final", 2024)):
            connection.execute(ASSESSMENT.insert().values(
                tenant_id=ids["enterprise"], id=ids[key], year=year, framework_id="scm-2024",
                framework_version="1.0.0", state="finalised", revision=1, version=3,
                created_at=WHEN, updated_at=WHEN))
        codes = {"by_owner": "lean.on_time_delivery_rate",
                 "by_consultant": "lean.quality_pass_rate",
                 "by_stranger": "lean.on_time_payment_rate",
                 "by_nobody": "digital.strategy", "by_dual": "digital.security",
                 "documented": "green.energy_intensity"}
        verifier = {"by_owner": "owner", "by_consultant": "consultant",
                    "by_stranger": "stranger", "by_nobody": None, "by_dual": "dual"}
        for key, code in codes.items():
            by = verifier.get(key)
            connection.execute(STATE.insert().values(
                tenant_id=ids["enterprise"], id=ids[key], assessment_id=ids["own_final"],
                code=code, not_applicable=False, na_reason="",
                confidence="documented" if key == "documented" else "verified",
                verified_by_id=ids[by] if by else None, version=1, updated_at=LATER))
        # Revision 1 finalised by the enterprise's owner, revision 2 (after a reopen) by the
        # linked consultant; both snapshots claim every label verified.
        for key, number, by in (("own_revision", 1, "owner"),
                                ("reviewed_revision", 2, "consultant")):
            connection.execute(REVISION.insert().values(
                tenant_id=ids["enterprise"], id=ids[key], assessment_id=ids["own_final"],
                revision=number, year=2023, framework_id="scm-2024", framework_version="1.0.0",
                document={}, results={},
                confidence={code: ("documented" if k == "documented" else "verified")
                            for k, code in codes.items()},
                finalised_by_id=ids[by], finalised_at=WHEN))
    ids["codes"] = codes
    return ids


def test_the_data_fix_keeps_only_linked_reviewers_verifications(owner_url: str) -> None:
    config = _config(owner_url)
    before = ScriptDirectory.from_config(config).get_revision("0014").down_revision
    assert isinstance(before, str)
    command.upgrade(config, before)
    engine = sa.create_engine(owner_url)
    try:
        ids = _seed(engine)
        command.upgrade(config, "0014")
        states = sa.table("indicator_state", sa.column("id", sa.Uuid()),
                          sa.column("confidence", sa.String()),
                          sa.column("verified_by_id", sa.Uuid()),
                          sa.column("verified_by_tenant_id", sa.Uuid()),
                          sa.column("verified_at", UTCDateTime()))
        revisions = sa.table("assessment_revision", sa.column("id", sa.Uuid()),
                             sa.column("confidence", sa.JSON()),
                             sa.column("reviewed_by_tenant_id", sa.Uuid()),
                             sa.column("reviewed_by_name", sa.String()))
        if engine.dialect.name == "postgresql":  # the migration forced RLS again
            with engine.begin() as connection:
                assert {"assessment_revision", "indicator_state"} <= set(
                    _forced_tables(connection))
        with _rls_lifted(engine), engine.begin() as connection:
            found = {row.id: row for row in connection.execute(sa.select(states))}
            fixed = {row.id: row for row in connection.execute(sa.select(revisions))}
    finally:
        engine.dispose()

    assert len(found) == 6  # every row reached, RLS or not
    consultant = found[ids["by_consultant"]]
    assert consultant.confidence == "verified"
    assert consultant.verified_by_id == ids["consultant"]
    assert consultant.verified_by_tenant_id == ids["consultancy"]
    assert consultant.verified_at == LATER
    for key in ("by_owner", "by_stranger", "by_nobody", "by_dual"):
        assert found[ids[key]].confidence == "internally_reviewed", key
        assert found[ids[key]].verified_by_tenant_id is None, key
    assert found[ids["documented"]].confidence == "documented"

    codes = ids["codes"]
    expected = {codes["by_consultant"]: "verified", codes["documented"]: "documented",
                **{codes[k]: "internally_reviewed"
                   for k in ("by_owner", "by_stranger", "by_nobody", "by_dual")}}
    own, reviewed = fixed[ids["own_revision"]], fixed[ids["reviewed_revision"]]
    assert own.confidence == expected and reviewed.confidence == expected
    assert (own.reviewed_by_tenant_id, own.reviewed_by_name) == (None, "")
    assert (reviewed.reviewed_by_tenant_id, reviewed.reviewed_by_name) == (
        ids["consultancy"], "consultancy name")

    # The database now refuses a verified label without another organisation.
    engine = sa.create_engine(owner_url)
    try:
        with _rls_lifted(engine), pytest.raises(sa.exc.IntegrityError), \
                engine.begin() as connection:
            connection.execute(states.update().where(states.c.id == ids["by_owner"])
                               .values(confidence="verified"))
    finally:
        engine.dispose()
    command.downgrade(config, before)  # and back, the labels as the old schema knew them
