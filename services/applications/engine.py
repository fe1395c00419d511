"""The workflow engine: every status change of every application goes through it.

"Application" is meant broadly: anything a worker asks for and staff decide. An application
to a program (``Application``), a request to join the union (``JoinRequest``), later a course
enrolment or a request for hardship help. Each kind follows a ``Workflow``: a table of
``Step`` rows, and a step carries everything about itself:

- where it starts (one status or several) and where it ends;
- the roles that may take it (the applicant, a street reviewer of the application's street,
  a district approver, finance, ...);
- the label staff see on the decision page, and the message the worker gets, kept as the
  Chinese source text and translated when it is shown or sent, in the reader's language;
- whether a note is required (a reason the worker will read) and whether it takes an amount;
- *guards*: checks that return a ``Decision`` with a code (the deadline has passed, a proof is
  missing, the approver recommended it themselves);
- *effects*: what taking the step does besides changing the status (stamp a time, record the
  recommender, reserve the money in the ledger, issue a membership number). An effect may
  still refuse, by raising ``StepRefused``; nothing it wrote is kept.

``application_transition`` is the one function that changes a status. In one transaction it
locks the application's row, finds the step, checks the actor's role (and for street roles,
the street), refuses self-review, runs the guards and the effects, saves, writes the
``StatusChange`` audit row (with the amount before and after, when the step changed it) and
the worker's inbox message; the text message leaves after the commit.

An application model provides ``workflow``, ``owner_user_id``, ``street_id``, ``reference``,
``get_absolute_url()`` and ``audit_amount``; see ``Application`` and ``JoinRequest``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services import roles as groups
from services.decisions import Decision
from services.members.selectors import staff_groups, staff_street

NOTE_MAX_LENGTH = 500


class Role(models.TextChoices):
    """Who takes a step. Staff roles are groups; street roles act only in their street."""

    APPLICANT = "applicant", gettext_lazy("申请人")
    STREET_REVIEWER = "street_reviewer", gettext_lazy("街道初审")
    DISTRICT_APPROVER = "district_approver", gettext_lazy("区总复审")
    FINANCE = "finance", gettext_lazy("财务")
    SYSTEM_ADMIN = "system_admin", gettext_lazy("系统管理员")
    # The portal itself, for steps nobody takes by hand (a place freed on a waitlist).
    PORTAL = "portal", gettext_lazy("系统自动")


@dataclass(frozen=True)
class RoleSpec:
    group: str
    street_scoped: bool
    label: str = ""


# Role -> the staff group that holds it. Program apps may add roles of their own.
ROLES: dict[str, RoleSpec] = {
    Role.STREET_REVIEWER: RoleSpec(groups.STREET_REVIEWER, street_scoped=True),
    Role.DISTRICT_APPROVER: RoleSpec(groups.DISTRICT_APPROVER, street_scoped=False),
    Role.FINANCE: RoleSpec(groups.FINANCE, street_scoped=False),
    Role.SYSTEM_ADMIN: RoleSpec(groups.SYSTEM_ADMIN, street_scoped=False),
}


def register_role(role: str, group: str, *, street_scoped: bool, label="") -> None:
    """A staff role a program app adds (e.g. the course manager), held through a group."""
    ROLES[role] = RoleSpec(group, street_scoped, label)


def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        spec = ROLES.get(role)
        return str(spec.label) if spec and spec.label else role


class StepRefused(Exception):  # noqa: N818 (a refusal, not an error)
    """Raised by an effect that finds, under its locks, that the step cannot be taken."""

    def __init__(self, decision: Decision):
        super().__init__(decision.reason)
        self.decision = decision


@dataclass
class StepContext:
    """What guards and effects are given. Effects may set ``amount`` (the amount after)."""

    application: object
    step: "Step"
    actor: object
    role: str
    note: str
    amount: Decimal | None
    data: dict
    now: object


Guard = Callable[[StepContext], Decision]
Effect = Callable[[StepContext], None]


@dataclass(frozen=True)
class Step:
    name: str
    source: frozenset[str]
    target: str
    roles: tuple[str, ...]
    label: str
    message: str = ""  # gettext_noop source text; %(ref)s, %(note)s, %(amount)s, ...
    note_required: bool = False
    takes_amount: bool = False
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    automatic: bool = False  # taken by the portal itself (e.g. when the bank has paid)
    # The inbox message also goes out as a text message; False for a step the worker takes
    # on screen, so that repeating it cannot send texts without end.
    texted: bool = True


def step(
    name: str,
    source: str | Iterable[str],
    target: str,
    roles: Iterable[str],
    label,
    message: str = "",
    *,
    note_required: bool = False,
    takes_amount: bool = False,
    guards: Iterable[Guard] = (),
    effects: Iterable[Effect] = (),
    automatic: bool = False,
    texted: bool = True,
) -> Step:
    """One row of a workflow table."""
    sources = frozenset([source] if isinstance(source, str) else source)
    return Step(
        name, sources, target, tuple(roles), label, message, note_required, takes_amount,
        tuple(guards), tuple(effects), automatic, texted,
    )  # fmt: skip


@dataclass(frozen=True)
class Workflow:
    """A table of steps over a set of statuses.

    ``editable``: the worker may still change details and proofs. ``committed``: money is
    held for the application (its ledger row counts). ``final``: nothing follows.
    """

    name: str
    label: str
    statuses: type[models.TextChoices]
    initial: str
    steps: tuple[Step, ...]
    editable: frozenset[str] = frozenset()
    committed: frozenset[str] = frozenset()
    final: frozenset[str] = frozenset()
    _by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        names = [s.name for s in self.steps]
        if len(names) != len(set(names)):
            raise ValueError(f"workflow {self.name}: step names repeat")
        known = set(self.statuses.values)
        for row in self.steps:
            if not (row.source | {row.target}) <= known:
                raise ValueError(f"workflow {self.name}: step {row.name} names unknown statuses")
        object.__setattr__(self, "_by_name", {s.name: s for s in self.steps})

    def get_step(self, name: str) -> Step | None:
        return self._by_name.get(name)

    def steps_from(self, status: str, roles: Iterable[str] | None = None) -> list[Step]:
        wanted = None if roles is None else set(roles)
        return [
            s
            for s in self.steps
            if status in s.source and (wanted is None or wanted & set(s.roles))
        ]

    def status_label(self, status: str) -> str:
        try:
            return str(self.statuses(status).label)
        except ValueError:
            return status


WORKFLOWS: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow) -> Workflow:
    WORKFLOWS[workflow.name] = workflow
    return workflow


def status_label(workflow_name: str, status: str) -> str:
    workflow = WORKFLOWS.get(workflow_name)
    return workflow.status_label(status) if workflow else status


def roles_of(actor, application) -> set[str]:
    """Every role the actor holds towards this application (street roles: its street only)."""
    roles = set()
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return roles
    if application.owner_user_id == actor.pk:
        roles.add(Role.APPLICANT)
    if not actor.is_staff:
        return roles
    held = staff_groups(actor)
    for role, spec in ROLES.items():
        if spec.street_scoped:
            street = staff_street(actor)
            if spec.group in held and street is not None and street.pk == application.street_id:
                roles.add(role)
        elif spec.group in held or actor.is_superuser:
            roles.add(role)
    return roles


def steps_for(actor, application) -> list[tuple[Step, str]]:
    """The steps this actor may take by hand from the application's status, with the role."""
    held = roles_of(actor, application)
    offered = []
    for row in application.workflow.steps_from(application.status):
        if row.automatic:
            continue
        role = next((r for r in row.roles if r in held), None)
        if role is not None:
            offered.append((row, role))
    return offered


def _check(
    application, row: Step | None, actor, role: str | None, note: str
) -> tuple[Decision, str | None]:
    """Whether the actor may take the step now, and in which role. With no actor, the portal
    itself takes an automatic step that names the PORTAL role."""
    if row is None or application.status not in row.source:
        return Decision.deny(
            _("当前状态“%(status)s”下不能进行这一步。")
            % {"status": application.workflow.status_label(application.status)},
            code="not_allowed_now",
        ), None
    if actor is None:
        if row.automatic and Role.PORTAL in row.roles:
            return Decision.allow(), Role.PORTAL
        return Decision.deny(_("您没有处理这份申请的权限。"), code="no_role"), None
    held = roles_of(actor, application)
    if role is None:
        role = next((r for r in row.roles if r in held), None)
    if role is None or role not in row.roles or role not in held:
        return Decision.deny(_("您没有处理这份申请的权限。"), code="no_role"), None
    if role != Role.APPLICANT and application.owner_user_id == actor.pk:
        return Decision.deny(_("不能审核自己的申请。"), code="self_review"), None
    if row.note_required and not note:
        return Decision.deny(_("请写明原因，申请人会看到这段说明。"), code="note_required"), None
    if len(note) > NOTE_MAX_LENGTH:
        return Decision.deny(
            _("说明太长了：最多 %(max)s 个字，现在是 %(count)s 个字。")
            % {"max": NOTE_MAX_LENGTH, "count": len(note)},
            code="note_too_long",
        ), None
    return Decision.allow(), role


def application_transition(
    *,
    application,
    actor,
    step: str,
    note: str = "",
    amount: Decimal | None = None,
    data: dict | None = None,
    role: str | None = None,
) -> Decision:
    """Take the named step for the actor, or say why not (the Decision's code says which rule).

    Works for every workflow; ``application`` is any model the engine knows (see module doc).
    """
    note = (note or "").strip()
    try:
        with transaction.atomic():
            locked = type(application)._default_manager.select_for_update().get(pk=application.pk)
            row = locked.workflow.get_step(step)
            checked, role = _check(locked, row, actor, role, note)
            if not checked:
                return checked
            context = StepContext(
                application=locked, step=row, actor=actor, role=role, note=note,
                amount=amount, data=data or {}, now=timezone.now(),
            )  # fmt: skip
            for guard in row.guards:
                decision = guard(context)
                if not decision:
                    return decision
            before = locked.audit_amount
            for effect in row.effects:
                effect(context)
            after = locked.audit_amount
            record_change(
                application=locked, step=row, actor=actor, role=context.role, note=note,
                from_status=locked.status,
                amounts=(before, after) if before != after else (None, None),
            )  # fmt: skip
            locked.status = row.target
            locked.save()
            if row.message:
                params = {"ref": locked.reference, "note": note or "-", **locked.message_params()}
                notify(
                    user_id=locked.owner_user_id, message=row.message, params=params,
                    link=locked.get_absolute_url(), about=locked, texted=row.texted,
                )  # fmt: skip
    except StepRefused as refused:
        return refused.decision
    application.status = locked.status
    return Decision.allow()


def record_change(*, application, step, actor, role, note, from_status, amounts=(None, None)):
    """The audit row of a step; the worker's timeline and the staff history read it."""
    from services.applications.models import StatusChange
    from services.members.audit import Action, audit_record

    change = StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(application),
        object_id=application.pk,
        workflow=application.workflow.name,
        step=step.name if step else "",
        role=role or "",
        from_status=from_status or "",
        to_status=step.target if step else application.status,
        actor=actor,
        note=note,
        amount_before=amounts[0],
        amount_after=amounts[1],
    )
    if actor is not None and actor.is_staff:  # what staff decide is in the audit log too
        member = getattr(application, "applicant", None) or getattr(application, "member", None)
        label = str(step.label) if step else change.to_status
        audit_record(
            actor=actor, action=Action.STATUS, member=member, obj=application,
            subject=f"{getattr(application, 'reference', application.pk)}：{label}",
        )  # fmt: skip
    return change


def record_start(*, application, actor, note: str = ""):
    """The first row of an application's history: it exists, in its workflow's first status."""
    from services.applications.models import StatusChange

    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(application),
        object_id=application.pk,
        workflow=application.workflow.name,
        to_status=application.status,
        actor=actor,
        note=note,
    )


def history(application):
    """The application's status changes, oldest first, with their actors."""
    from services.applications.models import StatusChange

    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(application), object_id=application.pk
    ).select_related("actor")


def notify(*, user_id: int, message: str, params: dict, link: str = "", about=None, texted=True):
    """An inbox message for the worker, sent on by text message (and e-mail) after commit,
    unless ``texted`` is False (the worker has just done it on screen).

    ``message`` is the Chinese source text of a translatable string (marked with
    ``gettext_noop``); it is translated when shown or sent, in the reader's language.
    """
    from services.applications.models import Notification
    from services.applications.tasks import queue_delivery

    notification = Notification.objects.create(
        user_id=user_id,
        message=message,
        params={key: str(value) for key, value in params.items()},
        link=link,
        content_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=about.pk if about is not None else None,
        texted=texted,
    )
    if texted:
        transaction.on_commit(lambda: queue_delivery(notification.pk))
    return notification
