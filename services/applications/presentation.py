"""How a program is described to the public: who may apply, what it pays, what to prepare."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications.models import Program


def describe_program(program: Program) -> dict:
    program_type = program.program_type
    return {
        "who": program.eligibility_text or _("工会会员"),
        # What staff wrote stays Chinese on the English pages (marked so).
        "who_is_content": bool(program.eligibility_text),
        "pays": program_type.describe(program) if program_type else "",
        "proofs": [program_type.proof_label(k) for k in program.required_proofs]
        if program_type
        else [],
        "opens": timezone.localtime(program.opens_at),
        "closes": timezone.localtime(program.closes_at),
        # The worker learns before applying that an award is published (公示), masked.
        "notice": program.requires_notice,
    }


def apply_url(program: Program, application=None) -> str | None:
    """The program type's page to apply, or to change the given draft."""
    program_type = program.program_type
    if program_type is None:
        return None
    if application is not None:
        return reverse(program_type.edit_url_name, args=[application.pk])
    return reverse(program_type.apply_url_name, args=[program.pk])
