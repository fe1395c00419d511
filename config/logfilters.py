"""Log filters for the console handler (settings.LOGGING)."""

import logging


class ClientErrorsInOneLine(logging.Filter):
    """A request refused as the client's own fault (a forged Host header, a list filtered by
    a field it does not offer: Django's 400s from ``django.security``, and any 4xx that
    ``django.request`` logs) is one WARNING line, without a traceback: a scanner's thousand
    probes neither bury the log in tracebacks nor look like the portal's own errors, which
    stay at ERROR with theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.security.") or (status is not None and status < 500):
            record.exc_info = record.exc_text = record.stack_info = None
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
