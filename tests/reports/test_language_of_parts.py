"""WCAG 3.1.2, language of parts: the report's Chinese content on the English pages.

Staff write the report in Chinese and it stays Chinese on the English pages. Each piece of it
must sit inside an element with ``lang="zh-Hans"`` so a screen reader switches to a Chinese
voice; ``<html lang="en">`` itself does not count. The page's ``<title>`` is left out: it is
plain text that cannot mark a part of itself as Chinese.
"""

import re
from html.parser import HTMLParser

import pytest
from django.utils import translation

# Han characters, CJK punctuation (、。「」), full-width forms (：（）；，).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class TextNodes(HTMLParser):
    """Every text node in the body with the language its nearest ``lang`` ancestor gives
    (None when only ``<html lang>`` does)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, lang or None)
        self.nodes = []  # (text, lang, path)

    def handle_starttag(self, tag, attrs):
        if tag == "html" or tag in VOID:
            return
        self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        tags = [tag for tag, _ in self.stack]
        if not data.strip() or "head" in tags:
            return
        lang = next((lang for _, lang in reversed(self.stack) if lang), None)
        self.nodes.append((data.strip(), lang, " > ".join(tags[-3:])))


def text_nodes(html: str) -> list[tuple[str, str | None, str]]:
    parser = TextNodes()
    parser.feed(html)
    parser.close()
    return parser.nodes


ENGLISH_PAGES = ["/en/", "/en/reports/", "/en/reports/2023/"]


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_chinese_content_on_english_pages_is_marked_chinese(client, report_2023, url):
    response = client.get(url)
    assert response.status_code == 200
    nodes = text_nodes(response.content.decode())
    chinese = [(text, lang, path) for text, lang, path in nodes if CJK.search(text)]
    assert chinese, "the page shows the report's Chinese content"
    unmarked = [(text, path) for text, lang, path in chinese if not (lang or "").startswith("zh")]
    assert unmarked == []


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_english_words_are_not_marked_chinese(client, report_2023, url):
    """The translated interface around the content stays English: no lang="zh-Hans" on a
    wrapper that also holds English text, such as a whole section or chart caption."""
    nodes = text_nodes(client.get(url).content.decode())
    english_in_chinese = [
        (text, path)
        for text, lang, path in nodes
        if (lang or "").startswith("zh") and not CJK.search(text) and re.search("[a-z]{3}", text)
    ]
    assert english_in_chinese == []


def test_every_kind_of_report_content_is_marked_on_the_english_report_page(client, report_2023):
    nodes = text_nodes(client.get("/en/reports/2023/").content.decode())
    marked = {text for text, lang, _ in nodes if lang == "zh-Hans"}
    snapshot = report_2023.published_snapshot
    section = snapshot["sections"][1]
    figure = section["figures"][0]
    for text in [
        snapshot["title"],
        snapshot["subtitle"],
        snapshot["authors"],
        snapshot["plan_heading"],
        snapshot["plan_items"][0]["title"],
        section["heading"],
        figure["label"],
        "372名".replace("372", figure["value"]),  # a chart's value beside its bar
        "医疗互助补助",  # a figure label, in a chart too
        "名",  # a unit
    ]:
        assert text in marked, text


def test_english_report_page_says_the_report_is_in_chinese(client, report_2023):
    html = client.get("/en/reports/2023/").content.decode()
    assert '<p class="report-hero__language">This report is published in Chinese.</p>' in html
    assert 'Authors: <span lang="zh-Hans">许莉莎 徐霞丽</span>' in html
    # the chart caption, an English sentence around the Chinese heading and unit
    assert 'figures counted in “<span lang="zh-Hans">场</span>”' in html


@pytest.mark.parametrize("url", ["/", "/reports/", "/reports/2023/"])
def test_chinese_pages_are_unchanged(client, report_2023, url):
    html = client.get(url).content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'lang="zh-Hans"' not in html
    assert "本报告以中文发布" not in html
    assert "<span lang=" not in html


def test_filter_escapes_content_in_both_languages():
    from reports.templatetags.report_tags import zh, zh_lang

    assert zh("<b>") == "&lt;b&gt;" and zh_lang() == ""
    with translation.override("en"):
        assert zh("<b>") == '<span lang="zh-Hans">&lt;b&gt;</span>'
        assert zh_lang() == ' lang="zh-Hans"'
