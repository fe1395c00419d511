"""Chinese is the source language; the English catalogue must translate every string."""

import gettext
import os
import re
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$')


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def entries(po: Path = PO) -> list[dict]:
    """Every entry of a catalogue, with continuation lines joined."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            if match := FIELD.match(line):
                current = match[1]
                fields[current] = unescape(match[2])
            elif line.startswith('"') and current:
                fields[current] += unescape(line[1:-1])
        if fields.get("msgid"):
            found.append(fields)
    return found


def test_every_string_has_an_english_translation():
    catalogue = entries()
    assert len(catalogue) > 300
    untranslated = [
        e["msgid"] for e in catalogue if not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []
    assert "#, fuzzy\nmsgid" not in PO.read_text(encoding="utf-8")


def test_format_fields_survive_translation():
    for entry in entries():
        wanted = sorted(re.findall(r"%\(\w+\)[sd]|%[sd]", entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr") and "msgid_plural" not in entry:
                assert sorted(re.findall(r"%\(\w+\)[sd]|%[sd]", value)) == wanted, entry["msgid"]


def test_compiled_catalogue_matches_the_source():
    compiled = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))

    def translated(entry):
        if "msgctxt" in entry:
            return compiled.pgettext(entry["msgctxt"], entry["msgid"])
        return compiled.gettext(entry["msgid"])

    stale = [
        e["msgid"] for e in entries() if "msgid_plural" not in e and translated(e) != e["msgstr"]
    ]
    assert stale == [], "run `make messages` to recompile locale/en"


@pytest.mark.parametrize(
    "url", ["/en/", "/en/reports/", "/en/reports/2023/", "/en/services/", "/en/accounts/register/"]
)
def test_english_pages_have_no_chinese_chrome(client, report_2023, url):
    html = client.get(url).content.decode()
    for chinese in [
        "跳到正文",
        "首页",
        "年度报告",
        "目录",
        "开放数据",
        "往年报告",
        "服务项目",
        "注册",
    ]:
        assert f">{chinese}<" not in html


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """Extract the strings afresh (as `make messages` does) from a copy of the code and check
    that the shipped catalogue translates each of them: a string added without running
    `make messages` fails here, not on an English page."""
    import shutil
    import subprocess
    import sys

    if shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install GNU gettext")
        pytest.skip("needs GNU gettext (apt-get install gettext)")
    root = PO.parents[3]
    copy = tmp_path / "portal"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", "var", ".git", "test-artifacts", "__pycache__", "tests"
        ),
    )
    fresh_po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    fresh_po.unlink()  # start from nothing
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete",
         "--ignore=node_modules", "--ignore=var"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shipped = {e["msgid"]: e for e in entries()}
    extracted = [e["msgid"] for e in entries(fresh_po)]
    missing = [msgid for msgid in extracted if msgid not in shipped]
    assert missing == [], "run `make messages` and translate: " + repr(missing[:5])
