"""Tables of the platform: tenants, users, memberships, invitations, links, audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tenants.types import TenantScoped, UTCDateTime, optional_timestamp_field, timestamp_field


class TenantKind(StrEnum):
    enterprise = "enterprise"
    association = "association"
    consultancy = "consultancy"


class Role(StrEnum):
    owner = "owner"
    admin = "admin"
    assessor = "assessor"
    viewer = "viewer"

    @property
    def manages_members(self) -> bool:
        return self in (Role.owner, Role.admin)


class LinkKind(StrEnum):
    association_member = "association_member"
    consultancy_client = "consultancy_client"
    # A lead manufacturer (链主, an enterprise) and its supplier (another enterprise): the
    # customer asks, the supplier consents, grants and revokes exactly as with the others.
    customer_supplier = "customer_supplier"


class LinkStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    revoked = "revoked"


class LinkGrant(StrEnum):
    """What an accepted link lets the inviting tenant see of the enterprise."""

    scores = "scores"  # finalised scores, for benchmarking
    answers = "answers"  # full questionnaire answers (not evidence files)
    reports = "reports"  # the enterprise's reports
    review = "review"  # act as a reviewer of the enterprise's assessments


class Tenant(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(sa_type=sa.String(20))
    name: str = Field(max_length=200)
    slug: str = Field(max_length=63, unique=True, index=True)
    locale: str = Field(default="zh_CN", max_length=10)
    plan: str = Field(default="free", max_length=40)
    created_at: datetime = timestamp_field()


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    locale: str | None = Field(default=None, max_length=10)
    timezone: str | None = Field(default=None, max_length=64)  # IANA name; None: the default
    is_active: bool = Field(default=True)
    email_verified_at: datetime | None = optional_timestamp_field()
    created_at: datetime = timestamp_field()

    # The Flask-Login interface. Whether a browser is signed in is decided by its
    # UserSession row (tenants.sessions), not by anything on the user.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class UserSession(SQLModel, table=True):
    """One signed-in browser: the session cookie and the remember-me cookie name this row,
    and a request is signed in only while the row is not revoked (tenants.sessions)."""

    __tablename__ = "user_session"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = timestamp_field()
    last_seen_at: datetime = timestamp_field()
    ip: str | None = Field(default=None, max_length=45)
    device: str = Field(default="", max_length=120)  # "Firefox on Windows", not the raw UA
    # SHA-256 of the current remember-me secret (None: not remembered) and of the one before
    # it, which still works for a few seconds after a rotation (parallel requests).
    remember_digest: str | None = Field(default=None, max_length=64)
    previous_remember_digest: str | None = Field(default=None, max_length=64)
    remember_rotated_at: datetime | None = optional_timestamp_field()
    revoked_at: datetime | None = optional_timestamp_field()


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per account key (a digest of the e-mail, whether or not an account
    exists), shared by every worker when no Redis is configured (tenants.throttle)."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=64)
    failures: int = Field(default=0)
    last_failure_at: datetime = timestamp_field()
    blocked_until: datetime | None = optional_timestamp_field()


class Membership(SQLModel, table=True):
    tenant_id: uuid.UUID = Field(foreign_key="tenant.id", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="app_user.id", primary_key=True, index=True)
    role: str = Field(sa_type=sa.String(20))
    created_at: datetime = timestamp_field()


class Invitation(TenantScoped, table=True):
    email: str = Field(max_length=254)
    role: str = Field(sa_type=sa.String(20))
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = optional_timestamp_field()
    revoked_at: datetime | None = optional_timestamp_field()


class TenantLink(SQLModel, table=True):
    """An association's member, or a consultancy's client: a link the enterprise controls.

    It spans two tenants, so it is a platform table; every query on it names the tenant it
    is asked for (``tenants.queries``).
    """

    __tablename__ = "tenant_link"
    __table_args__ = (sa.UniqueConstraint("source_tenant_id", "target_tenant_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    source_tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    target_tenant_id: uuid.UUID = Field(foreign_key="tenant.id", index=True)
    kind: str = Field(sa_type=sa.String(30))
    status: str = Field(default=LinkStatus.pending, sa_type=sa.String(20))
    grants: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Whether the enterprise agrees to be named in the inviting tenant's ranked tables.
    may_be_named: bool = Field(default=False)
    requested_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    responded_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    responded_at: datetime | None = optional_timestamp_field()

    def grants_(self, grant: LinkGrant) -> bool:
        return self.status == LinkStatus.accepted and grant in self.grants


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenant.id", index=True)
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    action: str = Field(max_length=60, index=True)
    subject: str = Field(default="", max_length=200)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    ip: str | None = Field(default=None, max_length=45)
    request_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = timestamp_field(index=True)
