"""Resident ID numbers (GB 11643, MOD 11-2), mobiles and credit codes, property-based."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from services.members.validators import (
    sex_of,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)
from tests.factories import make_credit_code, make_id_number

# Region codes valid for births from 1950 to 2008 (the national table dates each code).
REGIONS = ["110105", "330102", "330104", "310104", "440305", "510104"]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

birth_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2008, 12, 31))
valid_ids = st.builds(
    lambda region, born, seq: make_id_number(region, born.strftime("%Y%m%d"), seq),
    st.sampled_from(REGIONS),
    birth_dates,
    st.integers(min_value=0, max_value=999),
)


def reason(value: str) -> str:
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    return error.value.code


@given(valid_ids)
def test_valid_numbers_are_accepted_and_normalised(number):
    assert validate_id_number(number) == number
    assert validate_id_number(number.lower()) == number
    assert validate_id_number(number.translate(FULL_WIDTH)) == number
    assert validate_id_number(f" {number[:6]} {number[6:14]} {number[14:]} ") == number
    assert sex_of(number) == ("M" if int(number[16]) % 2 else "F")


@given(valid_ids, st.integers(min_value=1, max_value=10))
def test_a_wrong_check_digit_is_refused(number, shift):
    digits = "0123456789X"
    wrong = digits[(digits.index(number[-1]) + shift) % 11]
    assert reason(number[:-1] + wrong) == "checksum"


@given(valid_ids, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_caught(number, position, delta):
    digit = (int(number[position]) + delta) % 10
    mistyped = number[:position] + str(digit) + number[position + 1 :]
    assert reason(mistyped) in {"checksum", "birth_date", "region", "future"}


@given(valid_ids)
def test_wrong_lengths_are_refused(number):
    assert reason(number[:17]) == "length"
    assert reason(number + "1") == "length"


def test_the_battery_examples():
    assert validate_id_number("11010519491231002x") == "11010519491231002X"
    assert validate_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert reason("110105194912310021") == "checksum"
    assert reason("110105491231002") == "legacy"  # 15-digit legacy number
    feb_30 = "11010519490230" + "002"
    assert reason(feb_30 + ric.calc_check_digit(feb_30 + "0")) == "birth_date"
    tomorrow = (date.today() + timedelta(days=1)).strftime("%Y%m%d")
    assert reason(make_id_number("330104", tomorrow, 1)) == "future"
    assert reason("99999919900101" + "1234") in {"region", "checksum"}
    assert reason("3301041990010112AB") == "format"


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_hong_kong_macau_taiwan_residence_permits_are_accepted(region):
    number = make_id_number(region, "19900101", 123)
    assert validate_id_number(number) == number


def test_messages_are_chinese_and_specific():
    with pytest.raises(ValidationError) as error:
        validate_id_number("33010419900101")
    assert "身份证号应为18位，您填写了14位" in error.value.messages[0]


@pytest.mark.parametrize("mobile", ["13812345678", "+8619912345678", "１３８１２３４５６７８"])
def test_mobiles_accepted(mobile):
    assert len(validate_mobile(mobile)) == 11


@pytest.mark.parametrize("mobile", ["12812345678", "1381234567", "138123456789", "abc"])
def test_mobiles_refused(mobile):
    with pytest.raises(ValidationError, match="11位手机号码"):
        validate_mobile(mobile)


def test_credit_codes():
    code = make_credit_code(7)
    assert validate_uscc(code.lower()) == code
    with pytest.raises(ValidationError, match="校验位"):
        validate_uscc(code[:-1] + ("0" if code[-1] != "0" else "1"))
    with pytest.raises(ValidationError, match="18位"):
        validate_uscc(code[:-1])
