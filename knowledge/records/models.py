"""Persistent records (SQLAlchemy 2 models) shared by the conversation core, channels and admin page.

The schema is created by the Alembic migrations in `knowledge/records/migrations`; a test checks
that the migrations and these models agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware UTC datetime")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


# --- the knowledge base -------------------------------------------------------------------


class OpdRow(Base):
    __tablename__ = "opds"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[dict[str, Any]] = mapped_column(default=dict)
    telegram_chat_id: Mapped[str | None] = mapped_column(String(64))  # group for new-complaint notices
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CategoryRow(Base):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opds.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[list[str]] = mapped_column(default=list)
    examples: Mapped[list[str]] = mapped_column(default=list)
    sla_days: Mapped[int | None] = mapped_column(Integer)


class FaqRow(Base):
    __tablename__ = "faqs"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)  # the KB id, e.g. "ktp-el-hilang"
    opd_id: Mapped[int] = mapped_column(ForeignKey("opds.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    alternatives: Mapped[list[str]] = mapped_column(default=list)
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(default=list)
    source: Mapped[str | None] = mapped_column(Text)
    review_by: Mapped[dt.date | None] = mapped_column(Date)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class FaqVersionRow(Base):
    """Every saved state of an FAQ entry: who, when, what; restoring writes a new version."""

    __tablename__ = "faq_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[int] = mapped_column(ForeignKey("faqs.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # create | update | archive | restore | import
    data: Mapped[dict[str, Any]] = mapped_column()
    changed_by: Mapped[str | None] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MetaRow(Base):
    """Small key/value facts, e.g. `faq_revision`, bumped on every FAQ change so every instance reloads."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- residents and conversations ----------------------------------------------------------


class ResidentRow(Base):
    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(128))  # chat id / wa_id / web client id
    display_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))  # only if the resident shared it
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_inbound_at: Mapped[dt.datetime | None] = mapped_column()  # WhatsApp's 24-hour window


class ConversationStateRow(Base):
    __tablename__ = "conversation_states"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "<channel>:<external_id>"
    data: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InboundRow(Base):
    """Inbound messages seen, for exactly-once handling (Telegram update_id, WhatsApp message id)."""

    __tablename__ = "inbound"
    __table_args__ = (UniqueConstraint("channel", "message_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # pending (remembered, not handled) | answered (handled, replies in payload, not yet sent) | done | failed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column()


# --- complaints ---------------------------------------------------------------------------


class ComplaintRow(Base):
    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket: Mapped[str] = mapped_column(String(16), unique=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opds.id"), index=True)
    category_code: Mapped[str | None] = mapped_column(String(100), index=True)
    description: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(Text)
    kelurahan: Mapped[str | None] = mapped_column(String(100))
    kecamatan: Mapped[str | None] = mapped_column(String(100))
    photo_path: Mapped[str | None] = mapped_column(String(300))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)  # to the public; the OPD always sees it
    status: Mapped[str] = mapped_column(String(16), default="baru", index=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    first_response_at: Mapped[dt.datetime | None] = mapped_column()
    resolved_at: Mapped[dt.datetime | None] = mapped_column()
    rating: Mapped[int | None] = mapped_column(Integer)
    rated_at: Mapped[dt.datetime | None] = mapped_column()
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)  # one complaint per confirmation


class ComplaintEventRow(Base):
    """The timeline: every status change, reassignment and internal note."""

    __tablename__ = "complaint_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    status: Mapped[str | None] = mapped_column(String(16))  # None for an internal note
    note: Mapped[str] = mapped_column(Text, default="")
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    actor: Mapped[str] = mapped_column(String(100))  # admin username, "resident" or "system"
    from_opd: Mapped[str | None] = mapped_column(String(64))
    to_opd: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- outbound delivery --------------------------------------------------------------------


class OutboxRow(Base):
    """A message to deliver outside a direct reply; kept until sent or given up (with the reason)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "channel", "recipient"),  # web chat polls its residents' messages
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(128))  # chat id / wa_id / web client id
    kind: Mapped[str] = mapped_column(String(32))  # status | opd_notice | escalation | ...
    payload: Mapped[dict[str, Any]] = mapped_column()  # {"text", "options": [...], "photo", "template": {...}}
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Parts already delivered of a message the channel splits (Telegram's 4,096 characters): a
    # retry after a failure part-way starts at the next part instead of repeating the first ones.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(128), index=True)  # provider's message id
    delivery_status: Mapped[str | None] = mapped_column(String(16))  # provider receipts: delivered, read, ...
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()


# --- metrics ------------------------------------------------------------------------------


class EventRow(Base):
    """One interaction event for the dashboard. No raw resident ids; texts masked and purged."""

    __tablename__ = "events"
    __table_args__ = (
        # Covering indexes for the admin dashboard (figures over 100,000s of events in well under 300 ms);
        # the first also serves queries on (kind, created_at) alone. Each is written with every event.
        Index("ix_events_dashboard", "kind", "created_at", "outcome", "answered", "opd", "faq_key"),
        Index("ix_events_resident_time", "channel", "resident", "created_at", "opd"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    resident: Mapped[str] = mapped_column(String(32))  # HMAC(secret, channel:id), truncated
    kind: Mapped[str] = mapped_column(String(32))  # question | feedback | complaint_step | rating | ...
    outcome: Mapped[str | None] = mapped_column(String(32))  # answer | suggest | abstain | ...
    faq_key: Mapped[str | None] = mapped_column(String(100))
    opd: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    answered: Mapped[bool | None] = mapped_column(Boolean)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)  # masked; deleted after the retention period
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# --- admin --------------------------------------------------------------------------------


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # opd | kominfo
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opds.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Raised at sign-out: sessions carry it (admin/auth.py), so every cookie issued before stops working.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # A password someone else chose (printed at first start, set by Kominfo): changed before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class TargetRow(Base):
    """A dashboard target Kominfo set for one figure (e.g. answer_rate ≥ 0.8)."""

    __tablename__ = "admin_targets"
    figure: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DismissalRow(Base):
    """A group of unanswered questions an admin dismissed; questions asked later show again."""

    __tablename__ = "unanswered_dismissals"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # question | feedback
    signature: Mapped[str] = mapped_column(String(300))  # the group's normalised tokens, or the FAQ key
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opds.id"), index=True)  # None: dismissed by Kominfo
    dismissed_by: Mapped[str] = mapped_column(String(64))
    dismissed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
