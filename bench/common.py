"""What the benchmark scripts share: a portal under gunicorn, wrk, timing and the Markdown
tables that `make bench` collects into the README.

Every script prints its figures with the ratio to a baseline measured in the same run (the
machine is noisy: absolute times do not compare between runs) and writes its table to
``bench/results/<name>.md``; ``bench/run.py`` puts the tables into the README.
"""

import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
SHANGHAI = ZoneInfo("Asia/Shanghai")


def manage(*args: str, env: dict, quiet: bool = True) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not become ready")


@contextlib.contextmanager
def gunicorn(env: dict, *, port: int, workers: int = 3, log: Path):
    """The portal as `make run` serves it: gunicorn with config/gunicorn.py."""
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESSLOG": env.get("GUNICORN_ACCESSLOG", "-"),
    }
    with open(log, "w") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "config/gunicorn.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_ready(f"http://127.0.0.1:{port}")
            yield f"http://127.0.0.1:{port}"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, *, seconds: int, threads: int = 2, connections: int = 16, headers=()) -> dict:
    """wrk's requests per second and latency percentiles for one address."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk (make bench installs it)")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for percentile in ("50", "99"):
        match = re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.MULTILINE)
        found[f"p{percentile}"] = _ms(match.group(1)) if match else None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    found["errors"] = int(errors.group(1)) if errors else 0
    found["socket_errors"] = socket_errors.group(1) if socket_errors else ""
    return found


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]

    return {"median": statistics.median(ordered), "p95": at(0.95), "p99": at(0.99)}


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_result(name: str, *, title: str, command: str, body: str) -> Path:
    """The Markdown that `bench/run.py` puts into the README."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    path = RESULTS / f"{name}.md"
    path.write_text(f"#### {title}\n\n`{command}` ({stamp}, {machine()})\n\n{body}\n")
    return path


def machine() -> str:
    return f"{os.cpu_count()} cores"
