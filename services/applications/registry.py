"""Program types, registered by the apps that run them.

The shared machinery names no program. A program app (``services/tuition``, later courses,
mutual aid, hardship) describes each kind of program it runs as a ``ProgramType`` and
registers it in its ``AppConfig.ready()``. The shared pages, the admin and the engine ask the
registry: which workflow an application follows, which proofs it takes, how to check the
staff's rule parameters, what to show staff and the worker about an application, whether a
worker may hold one application per program batch or many. Adding a program therefore needs
no change, and no migration, of ``services/applications``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from services.applications.engine import Workflow, register_workflow
from services.decisions import Decision


def _no_check(application) -> Decision:
    return Decision.allow()


def _nothing_on_record(application) -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True)
class ProgramType:
    """What a kind of program is.

    - ``workflow``: the table of steps its applications follow.
    - ``apply_url_name``: the URL name of the apply page, reversed with the program's pk;
      ``edit_url_name`` the page that edits a draft, reversed with the application's pk.
    - ``proof_kinds``: code → label of the proofs a worker may upload.
    - ``validate_params(rule_params) -> rule_params``: raises ``ValidationError`` with a
      message staff can act on; the admin refuses to save a program that fails it.
    - ``describe(program) -> str``: what the program pays, in words, for the public pages.
    - ``details(application) -> [(label, value)]``: what the worker declared, shown to staff on
      the review page and to the worker on their application.
    - ``decision_guard(application) -> Decision``: the program's own rules checked again when
      the money is decided (under the ledger's locks), such as "not subsidised this year".
    - ``one_per_batch``: a worker holds at most one application per program batch (tuition);
      ``False`` allows many (mutual-aid claims).
    - ``proofs_on_record(application) -> set of proof kinds``: proofs the worker need not
      upload because the portal already holds them checked (a verified skill certificate on
      the worker's record); they count as present and are not offered for upload.
    - ``staff_records(application) -> [(url, label)]``: those records for the reviewer, as
      links to their files in the admin.
    - ``public``: listed on the public services pages (False for a campaign, which nobody
      applies to).
    - ``medical``: the proofs are medical documents: staff open them only with the
      ``applications.view_medical`` permission (reviewers, not finance), and every view is
      logged.
    """

    kind: str
    label: str
    workflow: Workflow
    apply_url_name: str
    edit_url_name: str
    proof_kinds: dict[str, str]
    validate_params: Callable[[dict], dict]
    describe: Callable[[object], str]
    details: Callable[[object], list[tuple[str, str]]]
    decision_guard: Callable[[object], Decision] = _no_check
    one_per_batch: bool = True
    proofs_on_record: Callable[[object], frozenset[str]] = _nothing_on_record
    staff_records: Callable[[object], list[tuple[str, str]]] = lambda application: []
    medical: bool = False
    public: bool = True
    params_help: str = ""
    extra: dict = field(default_factory=dict)

    def proof_label(self, code: str) -> str:
        return str(self.proof_kinds.get(code, code))


_TYPES: dict[str, ProgramType] = {}


def public_kinds() -> list[str]:
    return [kind for kind, program_type in _TYPES.items() if program_type.public]


def register_program_type(program_type: ProgramType) -> ProgramType:
    if program_type.kind in _TYPES and _TYPES[program_type.kind] is not program_type:
        raise ValueError(f"program type {program_type.kind!r} is registered twice")
    _TYPES[program_type.kind] = program_type
    register_workflow(program_type.workflow)
    return program_type


def unregister_program_type(kind: str) -> None:
    """For tests that define a program type of their own."""
    _TYPES.pop(kind, None)


def program_type(kind: str) -> ProgramType | None:
    return _TYPES.get(kind)


def program_types() -> list[ProgramType]:
    return list(_TYPES.values())


def kind_choices() -> list[tuple[str, str]]:
    """The choices of ``Program.kind``: a callable, so a new type needs no migration."""
    return [(t.kind, t.label) for t in _TYPES.values()]
