"""gunicorn's access log, one line per request whatever the request says.

gunicorn writes the request's path as it was sent, decoded: a path with an encoded line break
(``/privacy%0D%0A127.0.0.1 "GET /forged``) would write a second, forged line, and a NUL would
make the file binary. Every control character is written escaped (``\\x0d``)."""

import re

from gunicorn.glogging import Logger

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escaped(value):
    if isinstance(value, str):
        return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", value)
    return value


class PortalLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {key: _escaped(value) for key, value in super().atoms(
            resp, req, environ, request_time
        ).items()}  # fmt: skip
