"""The machinery every part of the scale seed shares.

- ``Writer`` collects model instances and writes them with ``bulk_create`` in batches. Primary
  keys are given by the seed itself (from one past the table's largest), so rows can point at
  each other before they are written; the sequences are moved past them at the end.
- ``given_times`` lets the seed write the historical times it chose into fields that are
  ``auto_now_add`` in the models (a 2024 application was created in 2024, not today).
- ``Context`` holds the random generator, the day the data is anchored on, the staff who act
  in the records, the content types and the fingerprint of everything generated.
"""

import hashlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.urls import reverse

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARK = 987654321  # a pk that never occurs, to turn a reversed URL into a pattern


@contextmanager
def given_times(models):
    """Switch off auto_now / auto_now_add on these models while the seed writes them, so the
    times it chose are kept; switched back on afterwards, whatever happens."""
    changed = []
    for model in models:
        for model_field in model._meta.concrete_fields:
            flags = (
                getattr(model_field, "auto_now", False),
                getattr(model_field, "auto_now_add", False),
            )
            if any(flags):
                changed.append((model_field, flags))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, (now, now_add) in changed:
            model_field.auto_now, model_field.auto_now_add = now, now_add


class Writer:
    """Batched ``bulk_create`` with primary keys chosen by the seed."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.pending: dict[type, list] = {}
        self.written: Counter = Counter()
        self._next: dict[type, int] = {}

    def new_id(self, model) -> int:
        if model not in self._next:
            largest = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
            self._next[model] = largest + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def add(self, instance) -> None:
        model = type(instance)
        if instance.pk is None:
            instance.pk = self.new_id(model)
        rows = self.pending.setdefault(model, [])
        rows.append(instance)
        if len(rows) >= self.batch_size:
            self._write(model)

    def flush(self) -> None:
        for model in list(self.pending):
            self._write(model)

    def _write(self, model) -> None:
        rows = self.pending.pop(model, [])
        if rows:
            model._default_manager.bulk_create(rows, batch_size=self.batch_size)
            self.written[model] += len(rows)

    def reset_sequences(self) -> None:
        """Move the database's id sequences past the ids the seed gave (PostgreSQL; SQLite
        keeps its own counter of the largest rowid)."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Fingerprint:
    """A digest of the generated values (never of ids or ciphertexts), so two runs with the
    same seed on the same day can be compared."""

    def __init__(self):
        self._hash = hashlib.sha256()

    def add(self, *parts) -> None:
        self._hash.update(("\x1f".join(str(part) for part in parts) + "\n").encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@dataclass
class Staff:
    """The staff accounts that act in the generated records."""

    reviewers: dict  # street id -> 街道初审员
    course_managers: dict  # street id -> 课程管理员
    approvers: list  # 区总复审员
    finance: object  # 财务
    editor: object  # 报告编辑

    def approver_for(self, rng: Random):
        return rng.choice(self.approvers)


@dataclass
class Context:
    rng: Random
    today: date  # the data is anchored on this day: nothing happens on or after it
    writer: Writer
    password: str  # one hash for every generated login
    fingerprint: Fingerprint = field(default_factory=Fingerprint)
    staff: Staff | None = None
    streets: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)
    people: list = field(default_factory=list)
    payments: object = None
    # What a person holds in this run: certificates (with the program codes that used them).
    certificates: dict = field(default_factory=dict)

    def __post_init__(self):
        self.anchor = datetime.combine(self.today, time(0), tzinfo=SHANGHAI)
        self.start = date(self.today.year - 2, 1, 1)  # the portal's first day
        self.years = [self.today.year - 2, self.today.year - 1, self.today.year]
        self._links: dict[str, str] = {}

    # -- content types and links ---------------------------------------------------------------

    def ct(self, model) -> int:
        return ContentType.objects.get_for_model(model).pk

    def link(self, name: str, pk: int | None = None) -> str:
        """``reverse`` once per URL name; the pk is put into the pattern after that."""
        if name not in self._links:
            self._links[name] = reverse(name, args=[MARK] if pk is not None else [])
        pattern = self._links[name]
        return pattern if pk is None else pattern.replace(str(MARK), str(pk))

    # -- times ----------------------------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(span, 0)))

    def worker_time(self, day: date) -> datetime:
        """Workers use the portal from early morning until late at night."""
        minute = self.rng.randint(7 * 60, 23 * 60 - 1)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=SHANGHAI).replace(
            second=self.rng.randint(0, 59)
        )

    def office_time(self, day: date) -> datetime:
        """Staff decide on working days, in office hours."""
        while day.weekday() >= 5:
            day += timedelta(days=1)
        minute = self.rng.randint(9 * 60, 17 * 60 + 29)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=SHANGHAI).replace(
            second=self.rng.randint(0, 59)
        )

    def later(self, after: datetime, mean_days: float, *, office: bool, least: int = 0):
        """A moment some days after ``after`` (exponentially distributed, as waiting times
        are), in office hours or the worker's hours; always strictly later."""
        days = least + int(self.rng.expovariate(1 / mean_days)) if mean_days else least
        day = after.astimezone(SHANGHAI).date() + timedelta(days=days)
        moment = self.office_time(day) if office else self.worker_time(day)
        if moment <= after:
            moment = after + timedelta(minutes=self.rng.randint(3, 90))
        return moment

    def before_anchor(self, moment: datetime | None) -> bool:
        return moment is not None and moment < self.anchor

    def token(self, bits: int = 128) -> str:
        """A random hex string from the seeded generator (file names, digests)."""
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"
