"""The staff side of programs, applications, the ledger and payment batches."""

from services.applications.admin import applications, payments, programs  # noqa: F401
