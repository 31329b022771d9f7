"""The case database (SQLAlchemy), the attachment store and the audit trail. No Qt.

* :mod:`records.store` — :class:`~records.store.CaseStore`, the one API that
  writes and reads cases (case numbers, replay refusal, status, reveal).
* :mod:`records.models` and ``records/migrations`` — the schema (Alembic,
  applied by :func:`records.db.upgrade`, no ``alembic.ini`` needed).
* :mod:`records.db` — engines (SQLite WAL + ``BEGIN IMMEDIATE``; PostgreSQL
  with lock and connect timeouts), retries, errors for the clerk.
* :mod:`records.files` — scanned pages and seals by SHA-256, written durably
  before the commit.
* :mod:`records.audit` — the hash-chained audit trail and its verification.
* :mod:`records.datakey` — AES-GCM encryption of resident registration
  numbers under a data key kept outside the database, wrapped with HPKE to
  the office key.
* :mod:`records.check`, :mod:`records.purge`, :mod:`records.export` — IT's
  ``db check``, the retention purge, CSV/XLSX export.
"""
