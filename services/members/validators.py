"""Validation of the identifiers workers and enterprises type in.

Each validator normalises first (NFKC turns full-width digits into ASCII, ``x`` becomes
``X``) and raises a ``ValidationError`` whose message says in Chinese exactly what is wrong.
"""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import luhn, numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent

# Residence permits for residents of Hong Kong (81), Macau (82) and Taiwan (83) follow GB 11643
# and may work and join a union in Qiantang: they are accepted. Their region part is 810000,
# 820000 or 830000, which the national region table does not list.
RESIDENCE_PERMIT_REGIONS = {"810000", "820000", "830000"}
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character resident ID number, or raise with the reason."""
    number = normalise(value)
    if len(number) == 15 and number.isdigit():
        raise ValidationError(_("不支持15位旧身份证号，请填写18位身份证号。"), code="legacy")
    if len(number) != 18:
        raise ValidationError(
            _("身份证号应为18位，您填写了%(length)d位。") % {"length": len(number)}, code="length"
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号前17位应为数字，最后一位为数字或X。"), code="format")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("身份证号校验位不正确，请核对每一位数字。"), code="checksum")
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent as error:
        raise ValidationError(_("身份证号中的出生日期不存在。"), code="birth_date") from error
    if born > timezone.localdate():
        raise ValidationError(_("身份证号中的出生日期在未来。"), code="future")
    if number[:6] not in RESIDENCE_PERMIT_REGIONS and not _known_region(number[:6]):
        raise ValidationError(_("身份证号中的地区代码不存在。"), code="region")
    return number


def _known_region(code: str) -> bool:
    """Whether the national region table lists the code at any time.

    python-stdnum's own check also wants the county to have existed in the birth year, but
    the code is that of the place where the number was *issued*, often years after birth
    (someone born in 1982 may hold 330102, 上城区 since 1983): that check would turn real
    people away.
    """
    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    return "county" in info


def birth_date_of(number: str) -> date:
    return ric.get_birth_date(number)


def sex_of(number: str) -> str:
    """The 17th digit: odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def validate_mobile(value: str) -> str:
    number = normalise(value).removeprefix("+86")
    if not MOBILE.match(number):
        raise ValidationError(_("请填写11位手机号码，例如 13812345678。"), code="mobile")
    return number


def validate_uscc(value: str) -> str:
    """Unified social credit code (统一社会信用代码, GB 32100), with its check character."""
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="length")
    if not uscc.is_valid(code):
        raise ValidationError(_("统一社会信用代码校验位不正确。"), code="checksum")
    return code


def validate_bank_card(value: str) -> str:
    """A debit card number: 16 to 19 digits passing the Luhn check; spaces and dashes go."""
    number = re.sub(r"[\s-]", "", normalise(value))
    if not number.isdigit() or not 16 <= len(number) <= 19:
        raise ValidationError(_("银行卡号应为16到19位数字。"), code="card_length")
    if not luhn.is_valid(number):
        raise ValidationError(_("银行卡号校验不通过，请核对每一位数字。"), code="card_checksum")
    return number
