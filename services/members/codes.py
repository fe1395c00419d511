"""One-time codes by text message: registering, logging in without the password, resetting
the password, moving the account to a new mobile number.

A code is 6 digits, kept hashed, good for 10 minutes and 5 tries; a number gets at most 5
texts an hour, and an address at most ``PORTAL_SMS_PER_ADDRESS_HOUR`` requests (the views
count those). Asking for a code never tells whether a number is registered: the page says
the same thing, the same work is done (a code is made and hashed whatever the number), and
the text itself leaves through the task queue, after the request, so a slow gateway does not
show in the time either. What the text says depends on the number, which only its owner
reads: a registered number asked to register is told to log in instead; an unregistered
number asked for a login or reset code gets nothing.
"""

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from services.decisions import Decision
from services.members.models import Member, SmsCode
from services.members.sms import send_sms

MINUTES = 10
MAX_ATTEMPTS = 5
PER_NUMBER_HOUR = 5


class Purpose:
    REGISTER = "register"
    LOGIN = "login"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose, not a password)
    MOBILE_CHANGE = "mobile_change"


def _text(purpose: str, code: str, registered: bool) -> str | None:
    """What the number's owner reads; None sends nothing."""
    valid = _("【钱塘区总工会】验证码 %(code)s，%(minutes)s分钟内有效。如非本人操作请忽略。") % {
        "code": code,
        "minutes": MINUTES,
    }
    if purpose == Purpose.REGISTER:
        if registered:
            return _(
                "【钱塘区总工会】您的手机号已经注册过，请直接登录；忘记密码可用短信验证码找回。"
                "如非本人操作请忽略。"
            )
        return valid
    if purpose == Purpose.MOBILE_CHANGE:
        if registered:
            return _(
                "【钱塘区总工会】有人想把账号改用您的手机号，因该号码已注册而未能完成。"
                "如非本人操作请忽略。"
            )
        return valid
    return valid if registered else None


@task()
def deliver_code(mobile: str, text: str) -> None:
    send_sms(mobile, text)


def sms_code_send(*, mobile: str, purpose: str) -> None:
    """Make a code for the number and text it (or the right words) after the commit."""
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = SmsCode.objects.filter(mobile=mobile, created_at__gte=hour_ago).count()
    registered = Member.objects.filter(mobile=mobile).exists()
    code = f"{secrets.randbelow(1_000_000):06d}"
    code_hash = make_password(code)  # the same cost whatever the number
    if recent >= PER_NUMBER_HOUR:
        return
    SmsCode.objects.create(
        mobile=mobile,
        purpose=purpose,
        code_hash=code_hash,
        expires_at=timezone.now() + timedelta(minutes=MINUTES),
    )
    text = _text(purpose, code, registered)
    if text is not None:
        transaction.on_commit(lambda: _queue(mobile, text))


def _queue(mobile: str, text: str) -> None:
    try:
        deliver_code.enqueue(mobile, text)
    except Exception:  # the queue down: send now rather than not at all
        send_sms(mobile, text)


def sms_code_check(*, mobile: str, purpose: str, code: str, use: bool = True) -> Decision:
    """Whether the code is the latest one sent to the number for this purpose. A wrong code
    uses up one of its tries; a right one is used up, unless ``use`` is False (the caller
    then calls ``sms_code_use`` once what the code was for has succeeded). Call it outside
    any other transaction (in a view), so a wrong try is counted whatever happens next."""
    invalid = Decision.deny(
        _("验证码不正确或已过期。请核对后再输；输错5次或超过10分钟需重新获取。"),
        code="bad_code",
    )
    with transaction.atomic():
        sms = (
            SmsCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if not sms or sms.expires_at < timezone.now() or sms.attempts >= MAX_ATTEMPTS:
            return invalid
        if not check_password(code, sms.code_hash):
            SmsCode.objects.filter(pk=sms.pk).update(attempts=sms.attempts + 1)
            return invalid
        if use:
            sms.used_at = timezone.now()
            sms.save(update_fields=["used_at"])
    return Decision.allow()


def sms_code_use(*, mobile: str, purpose: str) -> None:
    """Use up the number's codes for this purpose (after ``sms_code_check(use=False)``)."""
    SmsCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(
        used_at=timezone.now()
    )
