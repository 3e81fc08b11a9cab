"""Users: a session generation, raised when the admin signs out, and a must-change-password flag.

Admin sessions are signed cookies; deleting the cookie at "Keluar" left a copied cookie usable until it
expired. A session now carries a fingerprint of the password hash and the generation, so raising it (at
sign-out) invalidates every cookie issued before, as a password change already did.

A password someone else chose (the kominfo account's, printed at first start; one Kominfo set when
creating an account or resetting its password) must be changed at the next sign-in before any other page.
Accounts that exist already keep working as they are.

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
    op.add_column("users", sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(),
                                     nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
        batch.drop_column("session_generation")
