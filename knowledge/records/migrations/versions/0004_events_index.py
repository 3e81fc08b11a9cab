"""Events: drop two indexes no query needs.

Every index is written on every insert, and every conversation turn inserts an event.
- ix_events_kind_time (kind, created_at) is a leading part of ix_events_dashboard, which serves every
  query it served;
- ix_events_resident (resident) serves no query: the dashboard counts residents by (channel, resident),
  which ix_events_resident_time serves.

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
    op.drop_index("ix_events_resident", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_resident", "events", ["resident"], unique=False)
    op.create_index("ix_events_kind_time", "events", ["kind", "created_at"], unique=False)
