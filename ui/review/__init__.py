"""The supervisor's review window: the day's cases with attachments, corrections and the audit trail.

``counter-app review`` (see :mod:`app.cli.review`) builds it with
:func:`app.compose.make_opener`; the database is opened on the window's worker
thread, so a server that does not answer leaves a window that says so.
"""
