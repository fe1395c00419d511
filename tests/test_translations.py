"""Chinese is the source language; the English catalogue must translate every string."""

import gettext
import re
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r'^msgid "(?P<id>(?:[^"\\]|\\.)+)"\n(?:msgid_plural "(?:[^"\\]|\\.)+"\n)?'
    r'msgstr(?:\[0\])? "(?P<str>(?:[^"\\]|\\.)*)"',
    re.MULTILINE,
)


def catalogue() -> dict[str, str]:
    text = PO.read_text(encoding="utf-8")
    return {m["id"].replace('\\"', '"'): m["str"].replace('\\"', '"') for m in ENTRY.finditer(text)}


def test_every_string_has_an_english_translation():
    entries = catalogue()
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []
    assert '#, fuzzy\nmsgid "' not in PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_source():
    compiled = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    stale = [m for m, s in catalogue().items() if compiled.gettext(m) != s and "%d" not in m]
    assert stale == [], "run `make messages` to recompile locale/en"


@pytest.mark.parametrize("url", ["/en/", "/en/reports/", "/en/reports/2023/"])
def test_english_pages_have_no_chinese_chrome(client, report_2023, url):
    html = client.get(url).content.decode()
    for chinese in ["跳到正文", "首页", "年度报告", "目录", "开放数据", "往年报告"]:
        assert f">{chinese}<" not in html
