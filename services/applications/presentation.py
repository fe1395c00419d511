"""How a program is described to the public: who may apply, what it pays, what to prepare."""

from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications.models import AttachmentKind, Program, ProgramKind


def describe_program(program: Program) -> dict:
    if program.kind == ProgramKind.TUITION:
        share = format((program.param("share") * 100).normalize(), "f")
        pays = _("实缴学费的 %(share)s%%，每人每年最多 %(cap)s 元") % {
            "share": share,
            "cap": program.per_person_cap,
        }
    else:
        amounts = program.rule_params.get("amounts", {})
        pays = "；".join(f"{level} {amount} 元" for level, amount in amounts.items())
    return {
        "who": program.eligibility_text or _("工会会员"),
        "pays": pays,
        "proofs": [str(AttachmentKind(k).label) for k in program.required_proofs],
        "opens": timezone.localtime(program.opens_at),
        "closes": timezone.localtime(program.closes_at),
    }
