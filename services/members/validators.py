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

# County-level codes in use today that python-stdnum's region table (stdnum/cn/loc.dat, compiled
# from Wikipedia's lists of 中华人民共和国行政区划代码) does not list. Source: the Ministry of
# Civil Affairs' list 县级以上行政区划代码 (mca.gov.cn, 行政区划代码). Comparing every code of
# the National Bureau of Statistics' 统计用区划代码 (leaving out its x7x development zones, which
# are no administrative divisions) with python-stdnum 2.2 found only these two missing.
# To extend: when a genuine number is refused with "地区代码不存在", look the code up
# in the Ministry's latest list, add it here with the place and the year it was created, and
# add it to the tests. An entry may go once stdnum lists the code itself.
COUNTIES_NEWER_THAN_STDNUM = {
    "330113": "浙江省杭州市临平区（2021年设立）",
    "330114": "浙江省杭州市钱塘区（2021年设立）",
}
MOBILE = re.compile(r"^1[3-9]\d{9}$")

# How the middle dot of ethnic-minority and transliterated names (买买提·艾力) gets typed:
# katakana middle dot, bullet, and the full stop NFKC makes of the full-width one (U+FF0E);
# the typographic hyphen (U+2010) becomes the ASCII one.
MIDDLE_DOT = "\u00b7"
NAME_SIGN_VARIANTS = str.maketrans(dict.fromkeys("\u30fb\u2022.", MIDDLE_DOT) | {"\u2010": "-"})
NAME_SEPARATORS = {MIDDLE_DOT, " ", "-"}
# Script signs that belong inside a word although Unicode does not call them letters: the
# Tibetan syllable mark tsheg and the Mongolian vowel separator.
NAME_WORD_SIGNS = {"\u0f0b", "\u180e"}
REAL_NAME_LENGTH = (2, 50)
# Words of letters (a), each maybe followed by marks (m), joined by single separators (s).
NAME_SHAPE = re.compile(r"a[am]*(?:sa[am]*)*")


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
    people away. Codes of abolished counties stay valid, as people keep their numbers; codes
    created after stdnum's table was compiled come from ``COUNTIES_NEWER_THAN_STDNUM``.
    """
    if code in COUNTIES_NEWER_THAN_STDNUM:
        return True
    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    return "county" in info


def birth_date_of(number: str) -> date:
    return ric.get_birth_date(number)


def sex_of(number: str) -> str:
    """The 17th digit: odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def validate_real_name(value: str) -> str:
    """The worker's name as written on the ID card, or raise with what is allowed.

    Names are written in Chinese characters, in the scripts of ethnic minorities (Uyghur,
    Tibetan, Mongolian…) or in Latin letters, and names of several parts are joined by the
    middle dot (阿沛·阿旺晋美), a space or a hyphen. Anything else - digits, markup, characters
    a spreadsheet would read as a formula (=, +, @), invisible control characters - is a typing
    mistake or an attack on the staff who export the member lists, and is refused.
    """
    name = _normalise_name(value)
    low, high = REAL_NAME_LENGTH
    if not low <= len(name) <= high:
        raise ValidationError(
            _("姓名应为%(low)d到%(high)d个字，请填写与身份证一致的姓名。")
            % {"low": low, "high": high},
            code="name_length",
        )
    if bad := next((char for char in name if _name_kind(char) == "?"), None):
        raise ValidationError(
            _(
                "姓名中不能有“%(char)s”。姓名只能由汉字、少数民族文字或拉丁字母组成，"
                "多个部分之间可用间隔号“·”、空格或连字符“-”隔开。"
            )
            % {"char": _visible(bad)},
            code="name_characters",
        )
    if not NAME_SHAPE.fullmatch("".join(map(_name_kind, name))):
        raise ValidationError(
            _("间隔号“·”、空格和连字符“-”只能用在两个字之间，且不能连用。"),
            code="name_separators",
        )
    return name


def _normalise_name(value: str) -> str:
    """NFKC (full-width letters, ideographic spaces), one kind of middle dot, single spaces."""
    name = unicodedata.normalize("NFKC", value or "").translate(NAME_SIGN_VARIANTS)
    name = re.sub(r" +", " ", name.strip())
    return re.sub(r" ?([\u00b7-]) ?", r"\1", name)


def _name_kind(char: str) -> str:
    """a letter, m mark (or in-word sign), s separator, ? anything not allowed in a name."""
    category = unicodedata.category(char)
    if category.startswith("L"):
        return "a"
    if category.startswith("M") or char in NAME_WORD_SIGNS:
        return "m"
    return "s" if char in NAME_SEPARATORS else "?"


def _visible(char: str) -> str:
    """The character itself, or its code point when it is invisible (NUL, tab, zero-width)."""
    return f"U+{ord(char):04X}" if unicodedata.category(char).startswith(("C", "Z")) else char


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


# An employer's name may carry a street number or a branch number (某某快递12号网点), never a
# run of digits as long as a phone, ID or card number: whatever is typed here can be published
# (the 公示 of awards names each worker's employer).
_NUMBER_RUN = re.compile(r"\d{5,}")
_MARKUP = set("<>{}`\\")


def validate_employer_name(value: str) -> str:
    """An employer or platform typed by the worker, or raise with what is wrong."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value or "")).strip()
    if _NUMBER_RUN.search(text):
        raise ValidationError(
            _("单位名称中不能有电话、证件号码等一长串数字，请只填写单位或平台的名称。"),
            code="employer_digits",
        )
    if bad := next((char for char in text if char in _MARKUP or not char.isprintable()), None):
        raise ValidationError(
            _("单位名称中不能有“%(char)s”。") % {"char": _visible(bad)}, code="employer_characters"
        )
    if text[:1] in "=+-@":
        raise ValidationError(_("单位名称不能以 = + - @ 开头。"), code="employer_formula")
    return text


def mask_number_runs(text: str) -> str:
    """Digits in runs of four or more hidden (for text typed before it was checked)."""
    return re.sub(r"\d{4,}", lambda match: "*" * len(match.group()), text)
