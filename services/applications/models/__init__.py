"""Programs, the applications workers make to them, their audit trail, the money ledger
(DESIGN §4) and the public notices (公示) of approved beneficiaries."""

from services.applications.models.applications import Application, Attachment
from services.applications.models.audit import Notification, StatusChange
from services.applications.models.exports import ExportJob, ExportStatus
from services.applications.models.ledger import (
    LIVE,
    LedgerEntry,
    LedgerEvent,
    LedgerStatus,
    PaymentBatch,
    PaymentLine,
)
from services.applications.models.notices import (
    NOTICE_MAX_DAYS,
    NOTICE_MIN_DAYS,
    NoticeEntry,
    NoticeObjection,
    ObjectionChannel,
    PublicNotice,
)
from services.applications.models.programs import Program, ReferenceCounter

__all__ = [
    "LIVE", "NOTICE_MAX_DAYS", "NOTICE_MIN_DAYS", "Application", "Attachment", "LedgerEntry",
    "LedgerEvent", "ExportJob", "ExportStatus",
    "LedgerStatus", "NoticeEntry", "NoticeObjection", "Notification", "ObjectionChannel",
    "PaymentBatch", "PaymentLine", "Program", "PublicNotice", "ReferenceCounter", "StatusChange",
]  # fmt: skip
