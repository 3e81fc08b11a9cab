"""Persistent records: the database, its migrations, and the services built on it.

Modules (import them directly; this package imports nothing so that importing one stays cheap):

- db: `Database` (engine, sessions, migrations)       - models: the SQLAlchemy tables
- kbstore: the KB in the database, FAQ revision         - live: `LiveKnowledge` (KB + matcher + router)
- complaints: `ComplaintService`, lifecycle             - notices: texts sent via the outbox
- outbox: `Outbox` (queued outbound messages)           - inbound: exactly-once inbound handling
- residents: `get_or_create_resident`                   - events: `EventRecorder` (analytics)
- users: admin accounts                                  - tickets, workdays: ticket numbers, due dates

Services take the caller's `AsyncSession` and flush; the caller commits (one session per
unit of work). Functions that take a `Database` instead run their own short transaction.
"""
