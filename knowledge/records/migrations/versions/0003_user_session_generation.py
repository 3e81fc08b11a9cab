"""Users: a session generation, raised when the admin signs out, which ends every session of the account.

Admin sessions are signed cookies; deleting the cookie at "Keluar" left a copied cookie usable until it
expired. A session now carries a fingerprint of the password hash and this number, so raising it (at
sign-out) invalidates every cookie issued before, as a password change already did.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("session_generation", sa.Integer(), server_default=sa.text("0"),
                                     nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
