"""Finished public pages, kept in memory and handed to anonymous readers as they are.

Most of the portal's readers are the public reading the annual report, and every one of them
is sent the same bytes. Drawing those bytes (the published snapshot read and parsed, seventy
figures and their charts rendered) takes milliseconds; handing them over takes microseconds.
Measured with a profiler, the template was only part of it: the session, CSRF, locale, URL
and consent middleware and the database round trip for the snapshot cost as much again. So
a view that draws the same page for every anonymous reader says so with
``@public_page("reports")``, and ``PublicPageCacheMiddleware``, placed just after whitenoise,
keeps the finished response (its body, and the body gzipped once) in the process's memory and
answers the next anonymous reader from there, before any of that runs.

Never stale. Each page belongs to *groups* of records (``GROUPS``). A group's *generation* is
a token in the shared cache (Redis in production; a file cache under ``var/`` with
``make run``), replaced by ``page_cache_changed(group)`` when the transaction that changed
those records commits. A kept page remembers the generations it was drawn under (read before
drawing it, so a change made while it was drawn is never hidden) and is handed out only while
they are current: a publish on one gunicorn worker or instance is seen by every other on its
next request. A lost token (the cache restarted) counts as a change. A page that changes by
itself with time (places left, a notice's period) is kept at most ``seconds`` and at most
until ``response.page_cache_until``.

Pages with a form (log in, register) are the same for every anonymous reader but for the CSRF
token, so ``@form_page()`` keeps them in the view, after the CSRF middleware: the page is drawn
once with a placeholder where the token goes, and each reader gets a copy with their own token
(``get_token``, so the CSRF cookie is set as usual). They stay private and uncached elsewhere.

Who is answered from memory: a GET without a session or messages cookie and without a query
string (or with one, for a view that accepts it: the course filters). What is kept: a 200
response of an opted-in view that sets no cookie and is not private. Each process keeps at
most ``MAX_PAGES`` pages, the least recently used going first.
"""

import contextlib
import gzip
import hashlib
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers

GROUPS = ("reports", "programs", "courses", "notices")
MAX_PAGES = 512


def accepts_gzip(header: str) -> bool:
    """Accept-Encoding as RFC 9110 reads it: names and parameters in any case, a q of 0
    refuses, ``*`` stands for what is not named."""
    star = False
    for part in header.split(","):
        name, _sep, params = part.partition(";")
        name = name.strip().lower()
        if name not in ("gzip", "x-gzip", "*"):
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        if name != "*":
            return quality > 0
        star = quality > 0
    return star


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match: a list of tags, weak or strong, or ``*``."""
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


_SKIPPED_HEADERS = {"content-length", "content-encoding", "etag"}


def _generation_key(group: str) -> str:
    return f"pagecache:generation:{group}"


def page_cache_changed(*groups: str) -> None:
    """The records behind these groups' public pages have changed: once the transaction
    commits, every process and instance draws them afresh."""
    for group in groups:
        if group not in GROUPS:
            raise ValueError(f"unknown page group {group!r}")

    def bump():
        cache.set_many({_generation_key(group): uuid.uuid4().hex for group in groups}, None)

    # Now, so that nothing drawn before the change is handed out again; and after the commit,
    # so that a page drawn meanwhile from the records as they were before is not kept either.
    bump()
    transaction.on_commit(bump)


_seen_files: dict[str, tuple[tuple[int, int, int], str]] = {}


def _file_cache_tokens(keys) -> dict[str, str]:
    """With the file cache of `make run`, a token is read again only when its file changed
    (a stat instead of open, unpickle and decompress: 3 µs instead of 40 on every page)."""
    found = {}
    for key in keys:
        path = caches["default"]._key_to_file(key)  # one file per key, replaced on set
        try:
            status = os.stat(path)
        except FileNotFoundError:
            continue
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        seen = _seen_files.get(path)
        if seen is not None and seen[0] == stamp:
            found[key] = seen[1]
            continue
        token = cache.get(key)
        if token is not None:
            _seen_files[path] = (stamp, token)
            found[key] = token
    return found


def _generations(groups) -> dict[str, str]:
    keys = {_generation_key(group): group for group in groups}
    if isinstance(caches["default"], FileBasedCache):
        found = _file_cache_tokens(list(keys))
    else:
        found = cache.get_many(list(keys))
    tokens = {}
    for key, group in keys.items():
        token = found.get(key)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(key, token, None):
                token = cache.get(key, token)
        tokens[group] = token
    return tokens


def public_page(*groups: str, seconds: int | None = None, query: bool = False):
    """Mark a view's page as the same for every anonymous reader, drawn from the records of
    ``groups``; kept at most ``seconds`` if given; ``query``: its query string selects what is
    shown (the view validates it) and is part of the key."""
    for group in groups:
        if group not in GROUPS:
            raise ValueError(f"unknown page group {group!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if not hasattr(response, "page_cache"):
                response.page_cache = (groups, seconds, query)
            return response

        return wrapper

    return decorator


def live_page(*groups: str, query: bool = False):
    """A public page with live counts (places left, budget used): kept at most
    ``PORTAL_LIVE_PAGE_SECONDS``, and replaced at once when staff edit what it shows."""
    return public_page(*groups, seconds=settings.PORTAL_LIVE_PAGE_SECONDS, query=query)


def keep_until(response, moments):
    """The page changes by itself at the earliest of these moments still to come (a program
    opens or closes, a notice's period ends): it is not kept past it."""
    now = time.time()
    coming = [moment for moment in moments if moment is not None and moment.timestamp() > now]
    if coming:
        response.page_cache_until = min(coming)
    return response


_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_PLACEHOLDER = b"\x00csrf\x00"
_forms: OrderedDict[str, tuple[float | None, bytes, tuple]] = OrderedDict()
_forms_lock = threading.Lock()


def form_page(seconds: int | None = None):
    """A page with a form, the same for every anonymous reader of the address but for the
    CSRF token: drawn once per process (and again after ``seconds``), copied per reader."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _anonymous_plain_get(request):
                return view(request, *args, **kwargs)
            key = request.path
            kept = _forms.get(key)
            if kept is not None and (kept[0] is None or time.time() < kept[0]):
                _expires, body, headers = kept
                token = get_token(request).encode()
                response = HttpResponse(body.replace(_PLACEHOLDER, token))
                for name, value in headers:
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not _cookies_besides_csrf(response)
            ):
                if hasattr(response, "render"):
                    response.render()
                body = _TOKEN_FIELD.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
                headers = tuple(
                    (name, value)
                    for name, value in response.headers.items()
                    if name.lower() not in _SKIPPED_HEADERS
                )
                expires = time.time() + seconds if seconds else None
                with _forms_lock:
                    _forms[key] = (expires, body, headers)
                    while len(_forms) > MAX_PAGES:
                        _forms.popitem(last=False)
            return response

        return wrapper

    return decorator


def _anonymous_plain_get(request) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and not {settings.SESSION_COOKIE_NAME, "messages"}.intersection(request.COOKIES)
        and not request.user.is_authenticated
    )


def _cookies_besides_csrf(response) -> bool:
    return any(name != settings.CSRF_COOKIE_NAME for name in response.cookies)


@dataclass(frozen=True)
class _Page:
    tokens: tuple[tuple[str, str], ...]
    expires: float | None
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes
    etag: str


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pages: OrderedDict[str, _Page] = OrderedDict()
        self.kept_before: OrderedDict[str, bool] = OrderedDict()  # addresses whose view keeps
        self.lock = threading.Lock()
        self.skip_cookies = {settings.SESSION_COOKIE_NAME, "messages"}

    def _key(self, request) -> str | None:
        if request.method not in ("GET", "HEAD") or self.skip_cookies.intersection(request.COOKIES):
            return None
        request.get_host()  # a host outside ALLOWED_HOSTS is refused here as everywhere
        return f"{request.path}?{request.META.get('QUERY_STRING', '')}"

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        page = self.pages.get(key)
        if request.method == "HEAD":  # answered from a kept page, never the one to keep it
            with contextlib.suppress(Exception):  # the shared cache is away: draw it
                if page is not None and self._current(page):
                    return self._serve(request, page)
            return self.get_response(request)
        tokens = None
        try:
            if page is not None:
                if self._current(page):
                    with self.lock:
                        if key in self.pages:
                            self.pages.move_to_end(key)
                    return self._serve(request, page)
                tokens = _generations(GROUPS)
            elif key in self.kept_before:
                tokens = _generations(GROUPS)
        except Exception:  # the shared cache is away: draw the page, keep nothing
            return self.get_response(request)
        response = self.get_response(request)
        if tokens is None:
            # The first reader of an address: learn whether its view keeps pages (the
            # generations were not read before drawing, so this one is not kept).
            if self._keepable(request, response):
                self._remember(self.kept_before, key, True)
            return response
        page = self._keep(request, response, tokens)
        if page is None:
            with self.lock:
                self.pages.pop(key, None)
            return response
        self._remember(self.pages, key, page)
        return self._serve(request, page)

    def _remember(self, store: OrderedDict, key: str, value) -> None:
        with self.lock:
            store[key] = value
            store.move_to_end(key)
            while len(store) > MAX_PAGES:
                store.popitem(last=False)

    @staticmethod
    def _current(page: _Page) -> bool:
        if page.expires is not None and time.time() >= page.expires:
            return False
        groups = [group for group, _token in page.tokens]
        return _generations(groups) == dict(page.tokens)

    @staticmethod
    def _keepable(request, response) -> bool:
        policy = getattr(response, "page_cache", None)
        if policy is None or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or response.has_header("Set-Cookie"):
            return False
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        return policy[2] or not request.META.get("QUERY_STRING")

    def _keep(self, request, response, tokens) -> _Page | None:
        if not self._keepable(request, response):
            return None
        groups, seconds, _query = response.page_cache
        expires = time.time() + seconds if seconds else None
        until = getattr(response, "page_cache_until", None)
        if until is not None:
            expires = min(expires or until.timestamp(), until.timestamp())
        patch_vary_headers(response, ["Accept-Encoding"])
        patch_cache_control(response, no_cache=True)
        body = response.content
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in _SKIPPED_HEADERS
        )
        return _Page(
            tokens=tuple((group, tokens[group]) for group in groups),
            expires=expires,
            headers=headers,
            body=body,
            gzipped=gzip.compress(body, compresslevel=9, mtime=0),
            etag=hashlib.sha256(body).hexdigest()[:32],
        )

    @staticmethod
    def _serve(request, page: _Page):
        zipped = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        etag = f'"{page.etag}-gzip"' if zipped else f'"{page.etag}"'
        if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
            response = HttpResponseNotModified()
            for name, value in page.headers:
                if name.lower() in ("vary", "cache-control"):
                    response[name] = value
        else:
            body = page.gzipped if zipped else page.body
            response = HttpResponse(b"" if request.method == "HEAD" else body)
            for name, value in page.headers:
                response[name] = value
            if zipped:
                response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(body))
        response["ETag"] = etag
        return response
