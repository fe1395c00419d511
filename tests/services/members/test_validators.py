"""Resident ID numbers (GB 11643, MOD 11-2), mobiles and credit codes, property-based."""

from datetime import date, timedelta
from itertools import batched

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from services.members.forms import CounterRegistrationForm, RegistrationForm
from services.members.validators import (
    sex_of,
    validate_id_number,
    validate_mobile,
    validate_real_name,
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


# The current county-level divisions of Zhejiang (民政部 县级以上行政区划代码): 37 districts,
# 20 county-level cities and 33 counties. 330113 and 330114 (2021) are newer than stdnum's table.
ZHEJIANG_COUNTIES = {
    "杭州": "330102 上城区 330105 拱墅区 330106 西湖区 330108 滨江区 330109 萧山区 330110 余杭区 "
    "330111 富阳区 330112 临安区 330113 临平区 330114 钱塘区 330122 桐庐县 330127 淳安县 "
    "330182 建德市",
    "宁波": "330203 海曙区 330205 江北区 330206 北仑区 330211 镇海区 330212 鄞州区 330213 奉化区 "
    "330225 象山县 330226 宁海县 330281 余姚市 330282 慈溪市",
    "温州": "330302 鹿城区 330303 龙湾区 330304 瓯海区 330305 洞头区 330324 永嘉县 330326 平阳县 "
    "330327 苍南县 330328 文成县 330329 泰顺县 330381 瑞安市 330382 乐清市 330383 龙港市",
    "嘉兴": "330402 南湖区 330411 秀洲区 330421 嘉善县 330424 海盐县 330481 海宁市 330482 平湖市 "
    "330483 桐乡市",
    "湖州": "330502 吴兴区 330503 南浔区 330521 德清县 330522 长兴县 330523 安吉县",
    "绍兴": "330602 越城区 330603 柯桥区 330604 上虞区 330624 新昌县 330681 诸暨市 330683 嵊州市",
    "金华": "330702 婺城区 330703 金东区 330723 武义县 330726 浦江县 330727 磐安县 330781 兰溪市 "
    "330782 义乌市 330783 东阳市 330784 永康市",
    "衢州": "330802 柯城区 330803 衢江区 330822 常山县 330824 开化县 330825 龙游县 330881 江山市",
    "舟山": "330902 定海区 330903 普陀区 330921 岱山县 330922 嵊泗县",
    "台州": "331002 椒江区 331003 黄岩区 331004 路桥区 331022 三门县 331023 天台县 331024 仙居县 "
    "331081 温岭市 331082 临海市 331083 玉环市",
    "丽水": "331102 莲都区 331121 青田县 331122 缙云县 331123 遂昌县 331124 松阳县 331125 云和县 "
    "331126 庆元县 331127 景宁畲族自治县 331181 龙泉市",
}
ZHEJIANG = {
    code: county
    for listing in ZHEJIANG_COUNTIES.values()
    for code, county in batched(listing.split(), 2, strict=True)
}


def test_the_zhejiang_list_is_complete():
    kinds = [name[-1] for name in ZHEJIANG.values()]
    assert len(ZHEJIANG) == 90
    assert (kinds.count("区"), kinds.count("市"), kinds.count("县")) == (37, 20, 33)
    assert all(code.startswith("33") and code.isdigit() for code in ZHEJIANG)


@pytest.mark.parametrize(("region", "county"), ZHEJIANG.items())
def test_every_current_zhejiang_county_is_accepted(region, county):
    number = make_id_number(region, "19900101", 123)
    assert validate_id_number(number) == number, county


@pytest.mark.parametrize("region", ["330103", "330104"])  # 下城区, 江干区: abolished in 2021
def test_numbers_issued_under_abolished_codes_stay_valid(region):
    number = make_id_number(region, "19800615", 42)
    assert validate_id_number(number) == number


@pytest.mark.parametrize("region", ["339999", "330199", "990101"])
def test_unknown_regions_are_refused(region):
    with pytest.raises(ValidationError, match="地区代码不存在") as error:
        validate_id_number(make_id_number(region, "19900101", 123))
    assert error.value.code == "region"


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


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("张三", "张三"),
        ("  欧阳 娜娜 ", "欧阳 娜娜"),
        ("买买提·艾力", "买买提·艾力"),
        ("阿沛·阿旺晋美", "阿沛·阿旺晋美"),
        ("买买提\u30fb艾力", "买买提·艾力"),  # katakana middle dot
        ("买买提\u2022艾力", "买买提·艾力"),  # bullet
        ("买买提\uff0e艾力", "买买提·艾力"),  # full-width full stop
        ("买买提 · 艾力", "买买提·艾力"),
        ("Zhang Wei", "Zhang Wei"),
        ("Ｚｈａｎｇ\u3000\u3000Ｗｅｉ", "Zhang Wei"),  # full width, ideographic spaces
        ("Jean-Pierre Dupont", "Jean-Pierre Dupont"),
        ("Chloe\u0301", "Chloé"),  # NFKC composes the combining accent
        ("ئەخمەت ئەلى", "ئەخمەت ئەلى"),  # Uyghur
        ("བཀྲ་ཤིས་", "བཀྲ་ཤིས་"),  # Tibetan, with the syllable mark tsheg
        ("ᠪᠠᠲᠤ", "ᠪᠠᠲᠤ"),  # Mongolian
        ("张" * 50, "张" * 50),
    ],
)
def test_real_names_as_on_the_id_card_are_accepted(typed, name):
    assert validate_real_name(typed) == name


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("<script>", "name_characters"),
        ("=1+1", "name_characters"),
        ("@SUM(A1)", "name_characters"),
        ("+86张三", "name_characters"),
        ("张三1", "name_characters"),
        ("张\x00三", "name_characters"),
        ("张\t三", "name_characters"),
        ("张\u200b三", "name_characters"),  # zero-width space
        ('张"三', "name_characters"),
        ("张&三", "name_characters"),
        ("`张三", "name_characters"),
        ("O'Neil", "name_characters"),
        ("张", "name_length"),
        ("", "name_length"),
        ("   ", "name_length"),
        ("张" * 51, "name_length"),
        ("·张三", "name_separators"),
        ("-张三", "name_separators"),
        ("张三·", "name_separators"),
        ("买买提··艾力", "name_separators"),
        ("Jean -- Pierre", "name_separators"),
    ],
)
def test_other_real_names_are_refused(typed, code):
    with pytest.raises(ValidationError) as error:
        validate_real_name(typed)
    assert error.value.code == code


def test_real_name_messages_say_what_is_allowed():
    with pytest.raises(ValidationError) as error:
        validate_real_name("=HYPERLINK()")
    assert "姓名中不能有“=”" in error.value.messages[0]
    assert "汉字、少数民族文字或拉丁字母" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        validate_real_name("张\x00三")
    assert "U+0000" in error.value.messages[0]  # invisible characters are named, not shown
    with pytest.raises(ValidationError) as error:
        validate_real_name("张")
    assert "姓名应为2到50个字" in error.value.messages[0]


@given(st.text(max_size=60))
def test_accepted_names_are_stable_and_clean(typed):
    try:
        name = validate_real_name(typed)
    except ValidationError:
        return
    assert validate_real_name(name) == name
    assert 2 <= len(name) <= 50
    assert not any(char.isdigit() or char in '<>&"`=+@\x00' for char in name)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [RegistrationForm, CounterRegistrationForm])
def test_registration_forms_clean_the_name(form_class):
    form = form_class(data={"real_name": "买买提\u30fb艾力"})
    form.is_valid()
    assert form.cleaned_data["real_name"] == "买买提·艾力"
    form = form_class(data={"real_name": "=1+1"})
    assert "姓名中不能有“=”" in form.errors["real_name"][0]
