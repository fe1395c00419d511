"""The audit trail of a case, written as the workflow engine writes it.

The engine (``services.applications.engine``) writes, for every step taken, one
``StatusChange`` row and, when the step has a message for the worker, one ``Notification``
(sent on by text message unless the step says otherwise). ``Trail`` writes the same rows for a
generated case, reading each step from the registered workflow table itself: the target
status, the message and whether it is texted come from the table, and a step that cannot be
taken from the current status is an error of the seed, not a row.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from services.applications.engine import WORKFLOWS
from services.applications.models import Notification, StatusChange


class Trail:
    def __init__(
        self, ctx, *, ct: int, object_id: int, workflow: str, owner_user_id: int,
        reference: str, link: str, params: dict | None = None,
    ):  # fmt: skip
        self.ctx = ctx
        self.ct, self.object_id = ct, object_id
        self.workflow = WORKFLOWS[workflow]
        self.owner_user_id = owner_user_id
        self.reference = reference
        self.link = link
        self.params = params or {}
        self.status = ""
        self.last_at: datetime | None = None

    def start(self, *, at: datetime, actor_id: int | None, status: str | None = None, note=""):
        """``record_start``: the case exists, in its workflow's first status (or the one
        given, such as a waitlisted enrollment)."""
        self.status = status or self.workflow.initial
        self._change(
            step="", role="", from_status="", at=at, actor_id=actor_id, note=note,
            amounts=(None, None),
        )  # fmt: skip

    def step(
        self, name: str, *, at: datetime, actor_id: int | None, role: str, note: str = "",
        amounts=(None, None), params: dict | None = None,
    ) -> None:  # fmt: skip
        row = self.workflow.get_step(name)
        if row is None or self.status not in row.source:
            raise ValueError(f"{self.workflow.name}: no step {name} from {self.status}")
        before = self.status
        self.status = row.target
        self._change(
            step=name, role=role, from_status=before, at=at, actor_id=actor_id, note=note,
            amounts=amounts,
        )  # fmt: skip
        if row.message:
            values = {"ref": self.reference, "note": note or "-", **self.params, **(params or {})}
            self.notify(row.message, values, at=at, texted=row.texted)

    def notify(self, message: str, params: dict, *, at: datetime, texted=True):
        """A message about this case (``engine.notify`` with ``about`` the case)."""
        notify(
            self.ctx, user_id=self.owner_user_id, message=message, params=params, at=at,
            link=self.link, ct=self.ct, object_id=self.object_id, texted=texted,
        )  # fmt: skip

    def _change(self, *, step, role, from_status, at, actor_id, note, amounts):
        if self.last_at is not None and at < self.last_at:
            raise ValueError(f"{self.reference}: {step or 'start'} before the step it follows")
        self.last_at = at
        to_status = self.status
        self.ctx.writer.add(
            StatusChange(
                content_type_id=self.ct,
                object_id=self.object_id,
                workflow=self.workflow.name,
                step=step,
                role=role,
                from_status=from_status,
                to_status=to_status,
                actor_id=actor_id,
                note=note,
                amount_before=amounts[0],
                amount_after=amounts[1],
                at=at,
            )  # fmt: skip
        )
        self.ctx.fingerprint.add("change", self.reference, step, to_status, at.isoformat(), note)


def notify(ctx, *, user_id, message, params, at, link="", ct=None, object_id=None, texted=True):
    """One inbox message, as ``engine.notify`` writes it: texted ones carry the time the text
    went out (so no task sends them again); older ones have mostly been read."""
    rng = ctx.rng
    delivered = at + timedelta(seconds=rng.randint(5, 90)) if texted else None
    read = None
    if at < ctx.anchor - timedelta(days=14) and rng.random() < 0.75:
        read = at + timedelta(minutes=rng.randint(1, 5 * 24 * 60))
    elif rng.random() < 0.3:
        read = at + timedelta(minutes=rng.randint(1, 600))
    if read is not None and read >= ctx.anchor:
        read = None
    ctx.writer.add(
        Notification(
            user_id=user_id,
            message=message,
            params={k: str(v) for k, v in params.items()},
            link=link,
            content_type_id=ct,
            object_id=object_id,
            created_at=at,
            read_at=read,
            delivered_at=delivered,
        )  # fmt: skip
    )


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"
