"""The staff side of programs, applications, the ledger, payment batches and public
notices."""

from services.applications.admin import (  # noqa: F401
    applications,
    exports,
    notices,
    payments,
    programs,
)
