"""Programs, the applications workers make to them, their audit trail and the money ledger
(DESIGN §4)."""

from services.applications.models.applications import Application, Attachment
from services.applications.models.audit import Notification, StatusChange
from services.applications.models.ledger import (
    LIVE,
    LedgerEntry,
    LedgerEvent,
    LedgerStatus,
    PaymentBatch,
    PaymentLine,
)
from services.applications.models.programs import Program, ReferenceCounter

__all__ = [
    "LIVE", "Application", "Attachment", "LedgerEntry", "LedgerEvent", "LedgerStatus",
    "Notification", "PaymentBatch", "PaymentLine", "Program", "ReferenceCounter", "StatusChange",
]  # fmt: skip
