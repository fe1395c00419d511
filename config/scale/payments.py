"""The money side of generated cases: ledger entries, their events, and the bank's batches.

What ``services.applications.ledger`` writes, replayed over the generated years. An approved
case (or a completed course) reserves an entry with a ``reserve`` event; finance builds a batch
of a program's reserved entries on the 1st and the 16th of each month at 10:00 (``batch``
events, one ``PaymentLine`` each, in the order the service uses: decision time, then id),
exports it the next day and records the bank's result four days after building: ``paid`` (the
case is told, through its ``on_paid``) or, for about one line in seventy, ``failed`` with the
bank's reason, the entry queued again for the next batch and the worker told to check the
card. A correction or a revocation happens while the entry is still reserved, as the service
requires. An entry whose worker has no payee card waits, as ``payment_batch_build`` leaves it.
Batches are numbered ``PAY-<year>-<seq>`` in the order they were built, across programs, from
the same counter the service takes its numbers from.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from config.scale.base import SHANGHAI
from config.scale.trail import notify, yuan
from services.applications.ledger import reserve_references
from services.applications.models import LedgerEntry, LedgerEvent, PaymentBatch, PaymentLine

BANK_REASONS = ["账户已销户", "户名与账号不符", "账户状态异常（冻结）", "卡号不存在"]
# The worker's message when the bank returns a payment (``ledger.payment_line_record``).
RETURNED_MESSAGE = (
    "您的款项“%(purpose)s”%(amount)s 元发放未成功，银行退回原因：%(note)s。"
    "请在“我的”核对收款银行卡，核对后会在下一批次重新发放。"
)
FAILURE_SHARE = 1 / 70


@dataclass(eq=False)
class Money:
    program: object
    member_id: int
    user_id: int
    has_card: bool
    source_ct: int
    source_id: int
    purpose: str
    amount: Decimal
    created_by: int
    created_at: datetime
    on_paid: object = None  # called with (moment, finance user id) when the bank has paid
    corrections: list = field(default_factory=list)  # (at, amount, actor id, note)
    revoked: tuple | None = None  # (at, actor id, reason)
    pk: int = 0
    status: str = "reserved"
    paid_at: datetime | None = None
    failures: int = 0
    last_failure: str = ""
    events: list = field(default_factory=list)  # (at, action, amount, batch id, actor, note)

    @property
    def final_amount(self) -> Decimal:
        return self.corrections[-1][1] if self.corrections else self.amount


def build_times(first: date, last: datetime):
    """The moments finance builds batches: the 1st and 16th of each month at 10:00."""
    day = date(first.year, first.month, 1)
    while True:
        for build_day in (day, day.replace(day=16)):
            moment = datetime.combine(build_day, time(10), tzinfo=SHANGHAI)
            if build_day >= first:
                if moment >= last:
                    return
                yield moment
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def next_build(moment: datetime) -> datetime:
    local = moment.astimezone(SHANGHAI)
    for candidate in build_times(local.date(), local + timedelta(days=40)):
        if candidate > moment:
            return candidate
    raise AssertionError("a build every fortnight")


@dataclass(eq=False)
class Batch:
    pk: int
    program_id: int
    created_at: datetime
    exported_at: datetime | None
    closed_at: datetime | None
    status: str
    created_by: int


class Payments:
    def __init__(self, ctx):
        self.ctx = ctx
        self.batches: list[Batch] = []

    def reserve(self, money: Money) -> Money:
        money.pk = self.ctx.writer.new_id(LedgerEntry)
        money.events.append((money.created_at, "reserve", money.amount, None, money.created_by, ""))
        return money

    def hand_over(self, money: Money) -> Money:
        """``ledger_hand_over``: reserved and paid at once, handed over in person."""
        self.reserve(money)
        money.status, money.paid_at = "paid", money.created_at
        money.events.append((money.created_at, "handed", money.amount, None, money.created_by, ""))
        self._write(money)
        return money

    def settle(self, program, moneys: list[Money]) -> None:
        """Replay the program's batches over its entries, then write them."""
        ctx, rng = self.ctx, self.ctx.rng
        finance = ctx.staff.finance.pk
        for money in moneys:
            for at, amount, actor, note in money.corrections:
                money.events.append((at, "correct", amount, None, actor, note))
            if money.revoked:
                at, actor, reason = money.revoked
                money.events.append((at, "reverse", money.final_amount, None, actor, reason))
                money.status = "reversed"
        waiting = sorted((m for m in moneys if not m.revoked), key=lambda m: (m.created_at, m.pk))
        queue: list[tuple[datetime, Money]] = [(m.created_at, m) for m in waiting]
        first = program.opens_at.astimezone(SHANGHAI).date()
        for build in build_times(first, ctx.anchor):
            ready = [m for since, m in queue if since < build and m.has_card]
            if not ready:
                continue
            ready_set = set(ready)
            queue = [(since, m) for since, m in queue if m not in ready_set]
            exported = build + timedelta(days=1) - timedelta(minutes=30)
            results = build + timedelta(days=4, hours=5)
            batch = Batch(
                pk=ctx.writer.new_id(PaymentBatch), program_id=program.pk, created_at=build,
                exported_at=exported if exported < ctx.anchor else None,
                closed_at=results if results < ctx.anchor else None,
                status="closed" if results < ctx.anchor else (
                    "exported" if exported < ctx.anchor else "built"),
                created_by=finance,
            )  # fmt: skip
            self.batches.append(batch)
            for sequence, money in enumerate(ready, start=1):
                amount = money.final_amount
                money.events.append((build, "batch", amount, batch.pk, finance, ""))
                line = PaymentLine(
                    batch_id=batch.pk, entry_id=money.pk, sequence=sequence, amount=amount
                )
                if batch.closed_at is None:
                    money.status = "in_batch"
                elif money.failures == 0 and rng.random() < FAILURE_SHARE:
                    reason = rng.choice(BANK_REASONS)
                    line.result, line.bank_note = "failed", reason
                    money.failures, money.last_failure = 1, reason
                    money.events.append((results, "failed", amount, batch.pk, finance, reason))
                    notify(
                        ctx, user_id=money.user_id, message=RETURNED_MESSAGE, at=results,
                        params={"purpose": money.purpose, "amount": yuan(amount), "note": reason},
                        link=ctx.link("members:bank_card"),
                    )  # fmt: skip
                    queue.append((results, money))
                else:
                    line.result = "paid"
                    money.status, money.paid_at = "paid", results
                    money.events.append((results, "paid", amount, batch.pk, finance, ""))
                    if money.on_paid is not None:
                        money.on_paid(results, finance)
                if batch.closed_at is not None:
                    line.recorded_by_id, line.recorded_at = finance, results
                ctx.writer.add(line)
        for money in moneys:
            self._write(money)

    def _write(self, money: Money) -> None:
        ctx = self.ctx
        revoked_at, revoked_by, reason = money.revoked or (None, None, "")
        ctx.writer.add(
            LedgerEntry(
                pk=money.pk,
                member_id=money.member_id,
                program_id=money.program.pk,
                year=money.program.year,
                source_type_id=money.source_ct,
                source_id=money.source_id,
                purpose=money.purpose[:120],
                amount=money.final_amount,
                status=money.status,
                failures=money.failures,
                last_failure=money.last_failure,
                created_by_id=money.created_by,
                created_at=money.created_at,
                paid_at=money.paid_at,
                reversed_by_id=revoked_by,
                reversed_at=revoked_at,
                reversal_reason=reason,
            )  # fmt: skip
        )
        for at, action, amount, batch_id, actor, note in sorted(money.events, key=lambda e: e[0]):
            ctx.writer.add(
                LedgerEvent(
                    entry_id=money.pk,
                    action=action,
                    amount=amount,
                    batch_id=batch_id,
                    actor_id=actor,
                    note=note,
                    at=at,
                )  # fmt: skip
            )
        ctx.fingerprint.add(
            "money", money.purpose, money.final_amount, money.status, money.paid_at, money.failures
        )

    def write_batches(self) -> int:
        """Number the batches in the order they were built from the service's counters
        (``ledger.reserve_references``) and write them."""
        ordered = sorted(self.batches, key=lambda b: (b.created_at, b.pk))
        years = [batch.created_at.astimezone(SHANGHAI).year for batch in ordered]
        references = {
            year: iter(reserve_references("PAY", year, years.count(year))) for year in set(years)
        }
        for batch, year in zip(ordered, years, strict=True):
            reference = next(references[year])
            self.ctx.writer.add(
                PaymentBatch(
                    pk=batch.pk,
                    reference=reference,
                    program_id=batch.program_id,
                    status=batch.status,
                    created_by_id=batch.created_by,
                    created_at=batch.created_at,
                    exported_at=batch.exported_at,
                    closed_at=batch.closed_at,
                )  # fmt: skip
            )
            self.ctx.fingerprint.add("batch", reference, batch.status)
        return len(self.batches)
