"""The client's address as the portal should record it.

Behind the reverse proxy the README documents, ``REMOTE_ADDR`` is the proxy's address. The
real client is read from the proxy's ``X-Forwarded-For`` header by django-ipware, the library
django-axes uses for the same purpose, trusting exactly ``PORTAL_PROXY_COUNT`` proxies (the
right-most entries the proxies appended; anything the client wrote further left is ignored).
Lockouts, reveal logs and the access log all use this one function.
"""

from axes.helpers import get_client_ip_address


def client_ip(request) -> str | None:
    return get_client_ip_address(request)
