"""Skill certificates on the worker's record: upload once, staff verify, programs read them.

Every write goes through these functions; a certificate's status changes only through the
shared workflow engine (``CERTIFYING`` in ``workflow.py``). The file is judged by what it is
(``services.applications.uploads``), exactly like an application's proofs.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications.engine import application_transition, record_start
from services.applications.uploads import inspect_upload
from services.decisions import Decision
from services.members.models import CertificateStatus, Member, SkillCertificate, User
from services.members.models.skills import HOLDS_NUMBER
from services.members.selectors import staff_scope

# Uploads per worker per day: a real worker has a few certificates, not dozens a day, and a
# waiting upload holds its number until it is checked.
UPLOADS_PER_DAY = 5


def certificate_can_upload(member: Member) -> Decision:
    """Members of a street's union upload certificates; staff of that street check them."""
    if not member.is_member or member.street_id is None:
        return Decision.deny(
            _("入会后才能登记证书：证书由您所在街道的工会核验。"), code="not_member"
        )
    since = timezone.now() - timedelta(days=1)
    if member.certificates.filter(uploaded_at__gte=since).count() >= UPLOADS_PER_DAY:
        return Decision.deny(
            _("一天最多上传 %(n)s 份证书，请明天再试。") % {"n": UPLOADS_PER_DAY},
            code="too_many",
        )
    return Decision.allow()


def certificate_upload(*, member: Member, actor: User, data: dict, upload) -> SkillCertificate:
    """The worker puts a certificate on their record; staff of their street verify it."""
    if actor.pk != member.user_id:
        raise PermissionDenied(_("只有职工本人可以上传自己的证书。"))
    decision = certificate_can_upload(member)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code)
    number = data["certificate_number"]
    if SkillCertificate.objects.filter(certificate_number=number, status__in=HOLDS_NUMBER).exists():
        raise ValidationError(_("这个证书编号已经登记过了，不能重复上传。"), code="number_taken")
    facts = inspect_upload(upload)
    try:
        with transaction.atomic():
            certificate = SkillCertificate.objects.create(
                member=member, street=member.street, level=data["level"],
                occupation=data["occupation"], certificate_number=number,
                issued_on=data["issued_on"], issuer=data["issuer"], file=upload,
                original_name=facts.name, size=facts.size, content_type=facts.content_type,
                sha256=facts.sha256,
            )  # fmt: skip
            record_start(application=certificate, actor=actor)
    except IntegrityError as error:  # the same number uploaded twice at once
        raise ValidationError(
            _("这个证书编号已经登记过了，不能重复上传。"), code="number_taken"
        ) from error
    return certificate


def certificate_decide(
    *, certificate: SkillCertificate, actor: User, step: str, note: str = ""
) -> Decision:
    """Verify or reject (with a reason the worker reads)."""
    return application_transition(application=certificate, actor=actor, step=step, note=note)


def certificate_withdraw(*, certificate: SkillCertificate, actor: User) -> Decision:
    """The worker takes back an upload nobody has checked yet; its number is free again."""
    return application_transition(application=certificate, actor=actor, step="withdraw")


def certificates_visible_to(user):
    return staff_scope(user).filter(
        SkillCertificate.objects.select_related("member", "member__user", "street", "decided_by")
    )


def verified_certificates(member: Member):
    return member.certificates.filter(status=CertificateStatus.VERIFIED).order_by("-issued_on")


def certificate_delete_files(member: Member) -> None:
    """When an account is closed: the certificates no award was paid on go, files and all."""
    for certificate in member.certificates.filter(awards__isnull=True):
        certificate.file.delete(save=False)
        certificate.delete()
