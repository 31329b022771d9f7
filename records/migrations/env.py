"""Alembic environment of the case database.

Migrations run inside the program (``records.db.upgrade``), never from an
``alembic.ini``: the caller hands over an open connection in
``config.attributes["connection"]`` and commits it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from records.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through records.db.upgrade(), which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
