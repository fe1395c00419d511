"""Plausible identities for generated workers and enterprises, all from the seeded generator.

Names follow the frequency of Chinese surnames (沈, 钱, 陆 and 汪 a little more common, as in
Zhejiang), with one- or two-character given names and a few names of ethnic minorities with
the middle dot. Resident ID numbers follow GB 11643: a county code of Zhejiang (钱塘区 330114
and 江干区 330104, where 下沙 belonged until 2021, most often), the birth date and a sequence
whose last digit gives the sex, and the MOD 11-2 check digit from python-stdnum, the library
the portal's validator uses. Mobile numbers never start with 138 (the demo accounts use
1380000xxxx). Bank cards are 16 or 19 digits on real issuer prefixes with the Luhn digit.
"""

from datetime import date, timedelta
from random import Random

from stdnum import luhn
from stdnum.cn import ric, uscc

SURNAMES = {
    "王": 71, "李": 70, "张": 67, "刘": 54, "陈": 46, "杨": 31, "黄": 22, "赵": 21, "吴": 20,
    "周": 19, "徐": 17, "孙": 15, "马": 15, "朱": 13, "胡": 13, "郭": 11, "何": 12, "高": 10,
    "林": 12, "罗": 9, "郑": 9, "梁": 8, "谢": 8, "宋": 6, "唐": 6, "许": 6, "韩": 5, "冯": 5,
    "邓": 5, "曹": 5, "彭": 5, "曾": 5, "肖": 4, "田": 4, "董": 4, "袁": 4, "潘": 4, "于": 4,
    "蒋": 4, "蔡": 4, "余": 4, "杜": 4, "叶": 4, "程": 4, "苏": 3, "魏": 3, "吕": 3, "丁": 3,
    "任": 3, "沈": 5, "姚": 3, "卢": 3, "姜": 3, "崔": 3, "钟": 3, "谭": 3, "陆": 4, "汪": 4,
    "范": 3, "金": 3, "石": 3, "廖": 3, "贾": 2, "夏": 2, "韦": 2, "付": 2, "方": 3, "邹": 2,
    "孟": 2, "熊": 2, "秦": 2, "邱": 2, "江": 2, "尹": 2, "薛": 2, "闫": 2, "段": 2, "雷": 2,
    "侯": 2, "龙": 2, "史": 2, "陶": 2, "黎": 2, "贺": 2, "顾": 2, "毛": 2, "郝": 1, "龚": 1,
    "邵": 2, "万": 1, "钱": 2, "严": 1, "覃": 1, "武": 1, "戴": 1, "莫": 1, "孔": 1, "向": 1,
    "汤": 1, "欧阳": 0.5, "诸葛": 0.1, "司马": 0.1, "上官": 0.1,
}  # fmt: skip
MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙"
    "林峰建国志文海东亮成晨博阳轩然航泽睿铭天佳家振永春庆德兴"
)
FEMALE = "芳娜敏静丽艳娟霞秀英玲桂丹萍红燕梅琳雪倩婷颖莉慧晶洁琴云莹璐欣怡佳悦雨涵诗梦瑶思可馨妍蕾"
MINORITY = [
    "阿依古丽·买买提", "热依拉·艾力", "古丽娜尔·吐尔逊", "买买提·艾力", "艾力·吐尔洪",
    "扎西·多吉", "卓玛·次仁", "阿卜杜·热合曼",
]  # fmt: skip

# County codes (GB/T 2260) of 钱塘区, Hangzhou and the rest of Zhejiang, with weights.
REGIONS = {
    "330114": 22, "330104": 14, "330102": 3, "330103": 2, "330105": 3, "330106": 3,
    "330108": 2, "330109": 6, "330110": 4, "330111": 2, "330112": 2, "330113": 4, "330122": 1,
    "330127": 1, "330182": 1, "330203": 1, "330212": 1, "330302": 1, "330324": 1, "330381": 1,
    "330382": 1, "330402": 1, "330421": 1, "330502": 1, "330602": 1, "330603": 2, "330681": 2,
    "330702": 1, "330781": 1, "330782": 2, "330783": 1, "330802": 1, "330881": 1, "330902": 1,
    "331002": 1, "331082": 1, "331102": 1, "331121": 1,
}  # fmt: skip
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "193",
    "195",
    "198",
    "199",
]  # 138 left out: the demo accounts are 1380000xxxx
CARD_PREFIXES = [("622202", 19), ("621700", 19), ("622848", 19), ("621226", 19), ("621661", 19),
                 ("623668", 19), ("622588", 16), ("621483", 16), ("622700", 19)]  # fmt: skip
# Characters of enterprise trade names (字号) and the trades of 钱塘区's industrial parks.
TRADE_NAME = "华新达恒瑞泰盛源博科宏远金丰联创鼎力信诚嘉康正通海天明宇安隆益航凯越旭卓"
TRADES = [
    "精密机械有限公司", "生物医药有限公司", "电子科技有限公司", "汽车零部件有限公司",
    "新材料股份有限公司", "物流有限公司", "食品有限公司", "纺织服饰有限公司", "半导体有限公司",
    "智能装备有限公司", "包装制品有限公司", "医疗器械有限公司", "化工有限公司", "光电科技有限公司",
    "家居用品有限公司", "建筑工程有限公司", "环保科技有限公司", "印刷有限公司",
]  # fmt: skip
UNLISTED_EMPLOYERS = ["杭州某某贸易有限公司", "个体工商户（下沙）", "杭州某餐饮管理有限公司",
                      "某物业服务有限公司钱塘项目部", "某家政服务中心"]  # fmt: skip
PLATFORMS = {
    "courier": ["顺丰速运钱塘营业部", "中通快递下沙网点", "京东物流钱塘站", "圆通速递白杨网点"],
    "rider": ["美团外卖钱塘站点", "饿了么下沙站", "美团外卖白杨站点"],
    "ride_hailing": ["滴滴出行（网约车）", "曹操出行", "T3出行"],
    "truck": ["货拉拉", "满帮货运平台"],
    "other_gig": ["某直播电商平台", "某家政服务平台"],
}


def weighted(table: dict) -> tuple[list, list]:
    """Choices and cumulative weights for ``Random.choices``."""
    total, cumulative = 0.0, []
    for weight in table.values():
        total += weight
        cumulative.append(total)
    return list(table), cumulative


SURNAME_CHOICES = weighted(SURNAMES)
REGION_CHOICES = weighted(REGIONS)


def person_name(rng: Random, sex: str, birth_year: int) -> str:
    if rng.random() < 0.004:
        return rng.choice(MINORITY)
    surnames, cumulative = SURNAME_CHOICES
    surname = rng.choices(surnames, cum_weights=cumulative)[0]
    pool = MALE if sex == "M" else FEMALE
    # One-character given names were more common for people born before the 1980s.
    single = rng.random() < (0.45 if birth_year < 1980 else 0.2)
    return surname + "".join(rng.choice(pool) for _ in range(1 if single else 2))


class IdentityMaker:
    """Unique ID numbers, mobiles and bank cards (unique within the run and the database)."""

    def __init__(self, rng: Random, *, taken_mobiles=(), taken_numbers=()):
        self.rng = rng
        self.mobiles = set(taken_mobiles)
        self.bodies = set(taken_numbers)
        self.cards: set[str] = set()

    def id_number(self, sex: str, first: date, last: date) -> str:
        regions, cumulative = REGION_CHOICES
        span = (last - first).days
        while True:
            region = self.rng.choices(regions, cum_weights=cumulative)[0]
            born = first + timedelta(days=self.rng.randint(0, span))
            sequence = self.rng.randint(0, 99) * 10 + self.rng.randrange(
                1 if sex == "M" else 0, 10, 2
            )
            body = f"{region}{born:%Y%m%d}{sequence:03d}"
            if body not in self.bodies:
                self.bodies.add(body)
                return body + ric.calc_check_digit(body + "0")  # it skips the last character

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def bank_card(self) -> str:
        while True:
            prefix, length = self.rng.choice(CARD_PREFIXES)
            body = prefix + "".join(str(self.rng.randint(0, 9)) for _ in range(length - 7))
            card = body + luhn.calc_check_digit(body)
            if card not in self.cards:
                self.cards.add(card)
                return card


def enterprise_names(rng: Random, count: int, taken=()) -> list[str]:
    """``count`` different names: 杭州 + a two-character trade name + the trade."""
    names, seen = [], set(taken)
    while len(names) < count:
        name = "杭州" + rng.choice(TRADE_NAME) + rng.choice(TRADE_NAME) + rng.choice(TRADES)
        if name in seen:
            name = name.replace("有限公司", f"{rng.choice('一二三四五六七八九')}分公司", 1)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: Random, taken: set) -> str:
    """A unified social credit code of a 钱塘区 company (GB 32100, with its check character)."""
    while True:
        body = "91330114" + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
        code = body + uscc.calc_check_digit(body)
        if code not in taken:
            taken.add(code)
            return code
