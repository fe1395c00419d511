"""gunicorn's access log keeps one line per request: an encoded line break or NUL in the path
is written escaped, never as a forged line (config/gunicorn_log.py)."""

import requests

from tests.ops import processes


def test_a_request_cannot_forge_a_line_of_the_access_log(tmp_path):
    env = {
        k: v for k, v in processes.os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))
    }
    env.update(
        PORTAL_VAR_DIR=str(tmp_path), DJANGO_STATIC_ROOT=str(processes.collected_static()),
        GUNICORN_ACCESSLOG=str(tmp_path / "access.log"),
    )  # fmt: skip
    env.pop("DATABASE_URL", None)
    server, base = processes.gunicorn(env, tmp_path)
    try:
        for path in ('/privacy%0D%0A127.0.0.1 "GET /forged HTTP/1.1" 200', "/x%00y"):
            requests.get(base + path, timeout=30)
    finally:
        server.stop()
    lines = (tmp_path / "access.log").read_bytes().decode().splitlines()
    assert not any(line.startswith('127.0.0.1 "GET /forged') for line in lines)
    assert "\x00" not in "".join(lines)
    assert any("\\x0d\\x0a" in line for line in lines) and any("\\x00" in line for line in lines)
