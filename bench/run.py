"""`make bench`: every benchmark in turn, then their tables into the README.

Each script prints its figures with the ratio to a baseline measured in its own run and, for
the four of issue 13, writes a Markdown table to bench/results/; the output of the others is
kept as printed. The README's section between the `bench:start` and `bench:end` markers is
replaced with all of them. `BENCH_ONLY=public_pages,exports` runs some only (the README then
keeps the others' last tables).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, RESULTS, ROOT  # noqa: E402

# (script, environment): the last two build throw-away databases of their own.
PG = "postgres://postgres@127.0.0.1:5432/qt_bench_throwaway"
SCRIPTS = [
    ("public_pages", {}),
    ("staff_pages", {}),
    ("exports", {}),
    ("worker_journey", {}),
    ("dashboard", {"DATABASE_URL": PG, "BENCH_REQUESTS": "10"}),
    ("campaign_page", {"DATABASE_URL": PG}),
    # Last: it stops PostgreSQL for 10 s (pg_ctlcluster; root or a user allowed to).
    ("faults", {}),
]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def run(name: str, extra: dict) -> None:
    print(f"\n== bench/{name}.py", flush=True)
    started = time.time()
    result = subprocess.run(
        [PYTHON, str(ROOT / "bench" / f"{name}.py")],
        cwd=ROOT, env={**os.environ, **extra}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    printed = "\n".join(line for line in result.stdout.splitlines() if "AXES:" not in line)
    print(printed)
    if result.returncode:
        print(result.stderr[-3000:])
    written = RESULTS / f"{name}.md"
    if not written.exists() or written.stat().st_mtime < started:
        RESULTS.mkdir(parents=True, exist_ok=True)
        written.write_text(f"#### bench/{name}.py\n\n```\n{printed.strip()}\n```\n")


def update_readme() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    order = [name for name, _ in SCRIPTS]
    parts = [
        (RESULTS / f"{name}.md").read_text().strip()
        for name in order
        if (RESULTS / f"{name}.md").exists()
    ]
    block = f"{START}\n" + "\n\n".join(parts) + f"\n{END}"
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    readme.write_text(before + block + after)


def main() -> None:
    only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
    for name, extra in SCRIPTS:
        if not only or name in only:
            run(name, extra)
    update_readme()
    print("\nREADME.md updated (section 'Performance').")


if __name__ == "__main__":
    main()
