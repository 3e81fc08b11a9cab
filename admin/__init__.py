"""The admin web page for OPD admins and Kominfo (aiohttp + Jinja2), mounted at /admin.

    app.add_subapp("/admin", create_admin_app(AdminContext(db=..., live=..., complaints=...,
                                                           outbox=..., secret_key=...)))

Pages (Indonesian UI): /login, /logout, /password; /faqs (list, search), /faqs/new, /faqs/{key}
(edit, archive, versions, restore), /faqs/try, /faqs/export, /faqs/import, /review;
/complaints, /complaints/{ticket} (status, note, reassign, photo); /unanswered; /stats,
/stats.csv, /stats/report?month=YYYY-MM; Kominfo only: /users, /targets, /audit.

Security model: a signed session cookie (auth.py), a CSRF token on every POST (csrf.py), a
strict CSP without inline code (pages.py), and every query limited to the admin's OPD
(`auth.opd_scope`), so another OPD's objects are 404 rather than merely unlinked.
"""

from admin.app import create_admin_app
from admin.context import AdminContext

__all__ = ["AdminContext", "create_admin_app"]
