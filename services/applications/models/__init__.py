"""Programs and the applications workers make to them (DESIGN §4)."""

from services.applications.models.applications import (
    Application,
    Attachment,
    AttachmentKind,
    Notification,
    PaymentBatch,
    StatusChange,
)
from services.applications.models.programs import Program, ProgramKind, ReferenceCounter

__all__ = [
    "Application", "Attachment", "AttachmentKind", "Notification", "PaymentBatch", "Program",
    "ProgramKind", "ReferenceCounter", "StatusChange",
]  # fmt: skip
