"""The client's address as the portal should record it.

Behind the reverse proxy the README documents, ``REMOTE_ADDR`` is the proxy's address. The
real client is read from the proxy's ``X-Forwarded-For`` header by django-ipware, the library
django-axes uses for the same purpose, trusting exactly ``PORTAL_PROXY_COUNT`` proxies (the
right-most entries the proxies appended; anything the client wrote further left is ignored).
Lockouts, reveal logs and the access log all use this one function.
"""

from contextvars import ContextVar

from axes.helpers import get_client_ip_address

# The address of the request being answered, for records written deep in a service (the audit
# log of a workflow step or a ledger change) that has no request at hand.
request_address: ContextVar[str | None] = ContextVar("request_address", default=None)


def client_ip(request) -> str | None:
    return get_client_ip_address(request)


class ClientAddressMiddleware:
    """Behind the reverse proxy, ``REMOTE_ADDR`` becomes the client's address as read above,
    for everything that reads it afterwards: django-axes, django-ratelimit, the reveal logs,
    and gunicorn's access log (which reads the same WSGI environ). The proxy's own address is
    kept as ``PORTAL_PROXY_ADDR``."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.enabled = bool(settings.PORTAL_PROXY_COUNT)

    def __call__(self, request):
        if self.enabled:
            address = client_ip(request)
            if address:
                request.META["PORTAL_PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
                request.META["REMOTE_ADDR"] = address
        token = request_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            request_address.reset(token)
