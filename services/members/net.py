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
        return self.get_response(request)
