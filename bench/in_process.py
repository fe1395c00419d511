"""Microseconds per request inside one Python process, through the portal's WSGI handler and
its whole middleware stack, no network and no gunicorn: the part of a request that is the
portal's own, which a noisy host moves far less than a wrk run.

    python bench/in_process.py /static/css/portal.<hash>.css /reports/2023/ ...

with the environment of the portal to time (PORTAL_VAR_DIR, DATABASE_URL); prints one JSON
object, {address: {"plain": µs, "gzip": µs}}, the median of `BENCH_IN_PROCESS_ROUNDS` (5)
rounds of 2,000 requests each after 200 warm-ups. public_pages.py runs it.
"""

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_IN_PROCESS_ROUNDS", "5"))
REQUESTS = 2_000


def environ(path: str, *, gzip: bool) -> dict:
    path, _, query = path.partition("?")
    found = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    if gzip:
        found["HTTP_ACCEPT_ENCODING"] = "gzip"
    return found


def timed(handler, path: str, *, gzip: bool) -> float:
    def start_response(status, headers):
        if not status.startswith("200"):
            raise SystemExit(f"{path}: {status}")

    def one():
        response = handler(environ(path, gzip=gzip), start_response)
        b"".join(response)
        response.close()

    for _ in range(200):
        one()
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REQUESTS):
            one()
        rounds.append((time.perf_counter() - start) / REQUESTS * 1e6)
    return statistics.median(rounds)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.wsgi import get_wsgi_application

    handler = get_wsgi_application()
    found = {
        path: {"plain": timed(handler, path, gzip=False), "gzip": timed(handler, path, gzip=True)}
        for path in sys.argv[1:]
    }
    print(json.dumps(found))


if __name__ == "__main__":
    main()
