"""The staff side of programs, applications, the ledger, payment batches and public
notices."""

from services.applications.admin import applications, notices, payments, programs  # noqa: F401
