"""A fault drill: PostgreSQL stops for 10 s under a mixed load, and nothing is lost.

Serves the seeded database (bench/scale.py) with gunicorn (3 workers × 2 threads) and a task
worker kept running by a supervisor loop (as systemd's Restart=always would), and drives for
`BENCH_SECONDS` (default 40): anonymous readers of the report, workers applying (log in,
draft, a proof, submit), a street reviewer recommending and a district approver approving
(which reserves money in the ledger), and finance building a payment batch before and after.
`BENCH_OUTAGE_AT` seconds in (default 12), `pg_ctlcluster <version> main stop -m fast`, then
start again 10 s later (run as root, or as a user allowed to).

Printed: requests answered and failed before, during and after the outage (none may fail
after it), then the checks: every answer the clients took as done is in the database whole (a
submitted application has its status change; an approval its ledger entry and event; a
proof its file), nothing is half-written (no ledger entry without its event, no status
without the change that led to it, no proof row without its file), and, once the sweep has
queued again what the outage lost, every text message was sent exactly once.
"""

import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, gunicorn, table, write_result  # noqa: E402
from scale import ensure_scale_database  # noqa: E402
from worker_journey import TOKEN, applicants, photo  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "40"))
OUTAGE_AT = int(os.environ.get("BENCH_OUTAGE_AT", "12"))
OUTAGE = 10
PORT = int(os.environ.get("BENCH_PORT", "8063"))
AFTER_GRACE = 3  # seconds for the instances to reconnect once the database is back


class Clock:
    def __init__(self):
        self.start = time.monotonic()
        self.stopped_at = self.restarted_at = None

    def phase(self, at: float) -> str:
        if self.stopped_at is None or at < self.stopped_at:
            return "before"
        if self.restarted_at is None or at < self.restarted_at + AFTER_GRACE:
            return "during"
        return "after"


class Tally:
    def __init__(self, clock):
        self.clock, self.lock = clock, threading.Lock()
        self.answered, self.failed = Counter(), Counter()
        self.done = {"submitted": set(), "recommended": set(), "approved": set(), "batches": 0}
        self.samples: dict[str, list[str]] = {"before": [], "after": []}

    def record(self, ok: bool, what: str = ""):
        phase = self.clock.phase(time.monotonic())
        with self.lock:
            (self.answered if ok else self.failed)[phase] += 1
            if not ok and phase in self.samples and len(self.samples[phase]) < 8:
                self.samples[phase].append(what)


def call(tally, session, method, url, expect=(200, 302), **kwargs):
    try:
        response = session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
    except Exception as error:  # a refused connection, a reset: counted as failed
        tally.record(False, f"{method} {url}: {type(error).__name__}")
        return None
    ok = response.status_code in expect
    tally.record(ok, f"{method} {url}: {response.status_code}")
    return response if ok else None


def reader(base, tally, until):
    import requests

    session = requests.Session()
    while time.monotonic() < until:
        call(tally, session, "GET", f"{base}/reports/2023/", expect=(200,))


def applying(base, tally, until, mobiles, program, files):
    import requests

    while time.monotonic() < until and mobiles:
        mobile = mobiles.pop()
        session = requests.Session()
        page = call(tally, session, "GET", f"{base}/accounts/login/")
        if not page:
            continue
        data = {"username": mobile, "password": "qiantang-demo-2026",
                "csrfmiddlewaretoken": TOKEN.search(page.text)[1]}  # fmt: skip
        if not call(tally, session, "POST", f"{base}/accounts/login/", expect=(302,), data=data):
            continue
        apply = f"{base}/services/{program}/apply/"
        page = call(tally, session, "GET", apply)
        if not page:
            continue
        year = time.gmtime().tm_year
        saved = call(
            tally, session, "POST", apply, expect=(302,),
            data={"school": "浙江工业大学", "major": "机电一体化", "level": "junior_college",
                  "academic_year": f"{year}-{year + 1}", "tuition_paid": "5000", "save": "1",
                  "csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
        )  # fmt: skip
        if not saved:
            continue
        detail = base + saved.headers["Location"]
        number = re.search(r"/me/applications/(\d+)/", detail)[1]
        page = call(tally, session, "GET", detail)
        if not page:
            continue
        token = TOKEN.search(page.text)[1]
        uploaded = True
        for kind, (name, content, mime) in files.items():
            uploaded = uploaded and call(
                tally, session, "POST", f"{base}/me/applications/{number}/upload/",
                expect=(302,), data={"kind": kind, "csrfmiddlewaretoken": token},
                files={"file": (name, content, mime)},
            )  # fmt: skip
        if uploaded and call(
            tally, session, "POST", f"{base}/me/applications/{number}/submit/", expect=(302,),
            data={"csrfmiddlewaretoken": token},
        ):  # fmt: skip
            with tally.lock:
                tally.done["submitted"].add(int(number))


def deciding(base, tally, until, cookie, step, queue, done_key):
    import requests

    session = requests.Session()
    session.cookies.update(cookie)
    while time.monotonic() < until:
        if not queue:
            time.sleep(0.2)
            continue
        pk = queue.pop()
        url = f"{base}/admin/applications/application/{pk}/review/"
        page = call(tally, session, "GET", url)
        if not page or "csrfmiddlewaretoken" not in page.text:
            continue
        data = {"step": step, "note": "", "csrfmiddlewaretoken": TOKEN.search(page.text)[1]}
        # 200: the page again with the rule that refused it (a cap reached): answered, not done
        decided = call(tally, session, "POST", url, expect=(302, 200), data=data)
        if decided is not None and decided.status_code == 302:
            with tally.lock:
                tally.done[done_key].add(pk)


def build_batch(base, tally, cookie, program):
    import requests

    session = requests.Session()
    session.cookies.update(cookie)
    url = f"{base}/admin/applications/paymentbatch/build/"
    page = call(tally, session, "GET", url)
    if page and call(tally, session, "POST", url, expect=(302, 200), data={
        "program": program, "csrfmiddlewaretoken": TOKEN.search(page.text)[1]
    }):  # fmt: skip
        tally.done["batches"] += 1


def supervised_worker(env, log, stop):
    """The task worker, started again whenever it exits (systemd's Restart=always)."""
    restarts = 0
    with open(log, "ab") as out:
        while not stop.is_set():
            process = subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--interval", "0.5"], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
            while process.poll() is None and not stop.is_set():
                time.sleep(0.2)
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
            else:
                restarts += 1
                time.sleep(1)
    return restarts


def pg_ctl(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", version, "main", action, *(["-m", "fast"] if action ==
                    "stop" else [])], check=True)  # fmt: skip


def main() -> None:
    env = ensure_scale_database()
    var = ROOT / "var" / "bench-scale"
    sms = var / "faults-sms.log"
    sms.unlink(missing_ok=True)
    env = {**os.environ, **env, "PORTAL_SMS_BACKEND": "services.members.sms.FileSmsBackend",
           "PORTAL_SMS_FILE": str(sms)}  # fmt: skip
    program, mobiles = applicants(env, "CMK", 200)
    import staff_pages
    from django.db import connections

    from services.applications.models import Application

    users = staff_pages.staff_users()
    cookies = {
        name: {"sessionid": staff_pages.client_for(users[name]).cookies["sessionid"].value}
        for name in ("reviewer", "approver", "admin")
    }
    start_id = Application.objects.order_by("-pk").values_list("pk", flat=True).first()
    from django.utils import timezone

    started_at = timezone.now()
    connections.close_all()
    files = {"admission": ("录取通知书.jpg", photo(300_000), "image/jpeg"),
             "receipt": ("收据.jpg", photo(200_000), "image/jpeg")}  # fmt: skip
    clock = Clock()
    tally = Tally(clock)
    stop = threading.Event()
    worker_restarts = []
    worker_log = var / "faults-worker.log"
    supervisor = threading.Thread(
        target=lambda: worker_restarts.append(supervised_worker(env, worker_log, stop))
    )
    with gunicorn(env, port=PORT, workers=3, log=var / "faults-gunicorn.log") as base:
        supervisor.start()
        until = time.monotonic() + SECONDS
        submitted_queue, recommended_queue = [], []

        reviewer_street = users["reviewer"].staff_profile.street_id
        seen = set()

        def feed():  # what workers of the reviewer's street submitted goes to the reviewer,
            # then the approver (whose district sees every street)
            while time.monotonic() < until:
                with tally.lock:
                    fresh = tally.done["submitted"] - seen
                try:
                    ours = set(Application.objects.filter(
                        pk__in=fresh, street_id=reviewer_street
                    ).values_list("pk", flat=True))  # fmt: skip
                except Exception:  # the database is away: next time
                    connections.close_all()
                    time.sleep(0.5)
                    continue
                with tally.lock:
                    seen.update(fresh)
                    submitted_queue.extend(ours)
                    recommended_queue.extend(
                        tally.done["recommended"] - set(recommended_queue) - tally.done["approved"]
                    )
                time.sleep(0.5)

        threads = [threading.Thread(target=reader, args=(base, tally, until)) for _ in range(4)]
        threads += [threading.Thread(target=applying, args=(base, tally, until, mobiles, program,
                                                            files)) for _ in range(4)]  # fmt: skip
        threads += [
            threading.Thread(target=deciding, args=(base, tally, until, cookies["reviewer"],
                                                    "recommend", submitted_queue, "recommended")),
            threading.Thread(target=deciding, args=(base, tally, until, cookies["approver"],
                                                    "approve", recommended_queue, "approved")),
            threading.Thread(target=feed),
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(OUTAGE_AT / 2)
        build_batch(base, tally, cookies["admin"], program)
        time.sleep(OUTAGE_AT / 2)
        clock.stopped_at = time.monotonic()
        pg_ctl("stop")
        time.sleep(OUTAGE)
        pg_ctl("start")
        clock.restarted_at = time.monotonic()
        time.sleep(AFTER_GRACE + 2)
        build_batch(base, tally, cookies["admin"], program)
        for thread in threads:
            thread.join()
        # What the outage left unsent: the sweep queues it again; wait for the worker.
        subprocess.run([PYTHON, "manage.py", "deliver_pending"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        time.sleep(8)
    stop.set()
    supervisor.join()
    report(tally, start_id, started_at, sms, worker_restarts[0] if worker_restarts else 0)


def report(tally, start_id, started_at, sms, restarts) -> None:
    from django.db import connections
    from django.db.models import Exists, OuterRef

    from services.applications.models import (
        Application,
        Attachment,
        LedgerEntry,
        LedgerEvent,
        Notification,
        StatusChange,
    )

    connections.close_all()  # this process's connection did not outlive the restart
    problems = []
    new = Application.objects.filter(pk__gt=start_id or 0)
    for pk in tally.done["submitted"]:
        application = new.filter(pk=pk).first()
        if application is None or application.status == "draft":
            problems.append(f"submitted {pk} not in the database as submitted")
    for pk in tally.done["approved"]:
        if not LedgerEntry.objects.filter(source_id=pk, source_type__model="application").exists():
            problems.append(f"approved {pk} without its ledger entry")
    changes = StatusChange.objects.filter(content_type__model="application")
    for application in new.exclude(status="draft"):
        last = changes.filter(object_id=application.pk).order_by("-at", "-id").first()
        if last is None or last.to_status != application.status:
            problems.append(f"{application.reference}: status without the change to it")
    empty = LedgerEntry.objects.filter(created_at__gte=started_at).exclude(
        Exists(LedgerEvent.objects.filter(entry=OuterRef("pk")))
    )
    problems += [f"ledger entry {e.pk} without its event" for e in empty]
    from django.core.files.storage import default_storage

    for attachment in Attachment.objects.filter(application__in=new):
        if not default_storage.exists(attachment.file.name):
            problems.append(f"proof {attachment.pk} without its file")
    messages = Notification.objects.filter(created_at__gte=started_at, texted=True)
    unsent = messages.filter(delivered_at__isnull=True).count()
    lines = sms.read_text(encoding="utf-8").splitlines() if sms.exists() else []
    keys = Counter(line.split(" ", 2)[1] for line in lines)
    repeated = [key for key, count in keys.items() if count > 1]
    wanted = {f"notification-{pk}" for pk in messages.values_list("pk", flat=True)}
    missing = wanted - set(keys)
    problems += [f"{unsent} messages not sent"] if unsent else []
    problems += [f"sent twice: {repeated[:5]}"] if repeated else []
    problems += [f"never sent: {sorted(missing)[:5]}"] if missing else []
    rows = [
        [phase, tally.answered[phase], tally.failed[phase]]
        for phase in ("before", "during", "after")
    ]
    body = (
        f"PostgreSQL stopped {OUTAGE} s, {OUTAGE_AT} s into a {SECONDS} s mixed load (4 readers, "
        f"4 workers applying, a reviewer, an approver, finance's batches) against gunicorn "
        f"3 × 2 and a supervised task worker (restarted {restarts} times). Done: "
        f"{len(tally.done['submitted'])} applications submitted, "
        f"{len(tally.done['recommended'])} recommended, {len(tally.done['approved'])} approved "
        f"(ledger), {tally.done['batches']} payment batches; {messages.count()} text messages, "
        f"{len(wanted & set(keys))} sent once. \"after\" counts from {AFTER_GRACE} s after the "
        f"restart.\n\n" + table(["phase", "answered", "failed"], rows)
        + "\n\nChecks: " + ("nothing lost, nothing half-written, every message once."
                             if not problems else "**" + "; ".join(problems[:10]) + "**")
    )  # fmt: skip
    for phase, samples in tally.samples.items():
        if samples:
            body += f"\n\nFailed {phase} the outage: " + "; ".join(samples)
    print(body)
    write_result("faults", title="PostgreSQL stopped for 10 s under load",
                 command="python bench/faults.py", body=body)  # fmt: skip


if __name__ == "__main__":
    main()
