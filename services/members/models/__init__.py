"""One worker record across every program (DESIGN §2.1).

The organisation: the seven ``Street`` (街道) of 钱塘区, the ``Enterprise`` (企业) workers are
employed by, identified by its unified social credit code, and the ``GrassrootsUnion``
(基层工会) a member belongs to, set up in an enterprise or as a sector federation such as
区民办教育培训行业社会组织工会联合会.

A ``Member`` is the worker behind a login: real name, resident ID number (encrypted, found
through a blind index), birth date and sex derived from it, mobile number, employer,
grassroots union and, once the union accepts them, a membership number. Gig workers
(新就业形态劳动者: couriers, riders, ride-hailing and truck drivers) are members like anyone else;
their employment form says so.

Staff are users with ``is_staff``; their ``StaffProfile`` says which street a street
reviewer (街道初审员) works for, which limits what they see.

A ``SkillCertificate`` (职业技能等级证书) is uploaded once and verified by staff; programs that
pay by skill level read it from the record.
"""

from services.members.models.audit import AuditEvent
from services.members.models.closing import ClosureRequest, ClosureStatus
from services.members.models.joining import JoinRequest, JoinStatus, MembershipCounter
from services.members.models.organisation import Enterprise, EnterpriseSize, GrassrootsUnion, Street
from services.members.models.people import (
    ConsentRecord,
    EmploymentForm,
    Member,
    Sex,
    SmsCode,
    StaffProfile,
    User,
    VerificationStatus,
)
from services.members.models.skills import CertificateStatus, SkillCertificate, SkillLevel

__all__ = [
    "ClosureRequest", "ClosureStatus", "ConsentRecord", "EmploymentForm", "Enterprise",
    "EnterpriseSize", "GrassrootsUnion", "JoinRequest", "JoinStatus", "Member", "MembershipCounter",
    "AuditEvent", "Sex", "SkillCertificate", "SkillLevel", "SmsCode", "StaffProfile", "Street",
    "User", "VerificationStatus", "CertificateStatus",
]  # fmt: skip
