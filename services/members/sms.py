"""Text messages. The backend is a setting (PORTAL_SMS_BACKEND); a real provider is a small
class with the same ``send(mobile, text)`` method. Nothing here logs the full number."""

import logging
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from services.members.pii import mask_mobile

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Prints the message to standard output (development)."""

    def send(self, mobile: str, text: str) -> None:
        print(f"[SMS to {mask_mobile(mobile)}] {text}", flush=True)  # noqa: T201


class FileSmsBackend:
    """Appends each message to PORTAL_SMS_FILE (demo servers)."""

    def send(self, mobile: str, text: str) -> None:
        with open(settings.PORTAL_SMS_FILE, "a", encoding="utf-8") as handle:
            handle.write(f"{datetime.now().isoformat()} {mobile} {text}\n")


class LocmemSmsBackend:
    """Keeps messages in ``outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))


def send_sms(mobile: str, text: str) -> None:
    import_string(settings.PORTAL_SMS_BACKEND)().send(mobile, text)
    logger.info("sms sent to %s", mask_mobile(mobile))
