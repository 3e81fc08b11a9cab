"""Events: drop ix_events_kind_time, a leading part of ix_events_dashboard.

Every index is written on every insert, and every conversation turn inserts an event: the dashboard
index (kind, created_at, outcome, ...) serves every query the narrower one served.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_events_kind_time", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_kind_time", "events", ["kind", "created_at"], unique=False)
