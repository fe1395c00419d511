"""Text messages. The backend is a setting (PORTAL_SMS_BACKEND); a real provider is a small
class with the same ``send(mobile, text, key=None)`` method. Nothing here logs the full number.

``key`` names the message (a notification's id): sent twice under one key, it arrives once.
A task worker killed after the gateway took a message but before the portal recorded it
sends it again on the retry; the gateway (its client message id) or, here, the backend drops
the repeat, so the worker receives it exactly once."""

import fcntl
import logging
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from services.members.pii import mask_mobile

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Prints the message to standard output (development)."""

    def send(self, mobile: str, text: str, key: str | None = None) -> None:
        print(f"[SMS to {mask_mobile(mobile)}] {text}", flush=True)  # noqa: T201


class FileSmsBackend:
    """Appends each message to PORTAL_SMS_FILE (demo servers, the fault drills), one line
    ``time key mobile text``; a key already in the file is not written again (the file is
    locked while it is read and written, so any number of workers may share it)."""

    def send(self, mobile: str, text: str, key: str | None = None) -> None:
        with open(settings.PORTAL_SMS_FILE, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            if key is not None:
                handle.seek(0)
                if any(line.split(" ", 2)[1:2] == [key] for line in handle):
                    return
            handle.write(f"{datetime.now().isoformat()} {key or '-'} {mobile} {text}\n")


class LocmemSmsBackend:
    """Keeps messages in ``outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []
    keys: set[str] = set()

    def send(self, mobile: str, text: str, key: str | None = None) -> None:
        if key is not None:
            if key in self.keys:
                return
            self.keys.add(key)
        self.outbox.append((mobile, text))


def send_sms(mobile: str, text: str, key: str | None = None) -> None:
    import_string(settings.PORTAL_SMS_BACKEND)().send(mobile, text, key=key)
    logger.info("sms sent to %s", mask_mobile(mobile))
