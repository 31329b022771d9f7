"""The case database (SQLAlchemy), the attachment store and the audit trail.
No Qt."""
