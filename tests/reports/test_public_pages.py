"""The public report pages over HTTP: what a reader gets, and what they never get."""

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.presentation import group_digits
from reports.services import report_publish
from tests.factories import AnnualReportFactory, KeyFigureFactory, ReportSectionFactory


def test_report_page_shows_every_section_figure_and_plan(client, report_2023):
    response = client.get("/reports/2023/")
    assert response.status_code == 200
    html = response.content.decode()
    for section in report_2023.sections.all():
        assert section.heading in html
    for figure in report_2023.figures.all():
        assert figure.label.replace("“", "&ldquo;") in html or figure.label in html
    for item in report_2023.plan_items.all():
        assert item.title in html
    assert '超</span><span class="figure__number">2</span><span class="figure__unit">万人' in html
    assert '<span class="figure__number">400</span><span class="figure__unit">余场' in html
    assert '<span class="figure__number">90</span><span class="figure__unit">%以上' in html


def test_report_page_has_toc_charts_and_print_stylesheet(client, report_2023):
    html = client.get("/reports/2023/").content.decode()
    assert 'aria-labelledby="toc-title"' in html
    for n in range(1, 5):
        assert f'href="#section-{n}"' in html
        # every section has at least one chart of comparable figures
        assert f'id="chart-{n}-1-title"' in html
    assert 'role="img" aria-labelledby="chart-1-1-title chart-1-1-desc"' in html
    assert '<desc id="chart-1-1-desc">' in html
    assert 'media="print"' in html


def test_every_section_links_back_to_the_contents(client, report_2023):
    html = client.get("/reports/2023/").content.decode()
    assert '<nav class="toc" id="toc" aria-labelledby="toc-title">' in html
    sections = re.findall(r'<section class="report-section.*?</section>', html, re.S)
    assert len(sections) == 6  # four sections, the plans, open data
    back = (
        '<p class="back-to-toc"><a href="#toc"><span aria-hidden="true">↑ </span>返回目录</a></p>'
    )
    for section in sections:
        assert section.removesuffix("</section>").rstrip().endswith(back)
    assert ".back-to-toc" in Path("static/css/print.css").read_text().split("{")[0]


def test_group_digits():
    assert group_digits("40195") == "40,195"
    assert group_digits("723510") == "723,510"
    assert group_digits("2010") == "2,010"
    assert group_digits("1234567.25") == "1,234,567.25"
    assert group_digits("30.89") == "30.89"
    assert group_digits("72.351") == "72.351"
    assert group_digits("999") == "999"
    assert group_digits("0") == "0"


def test_numbers_have_thousands_separators_but_years_do_not(client, report_2023):
    html = client.get("/reports/2023/").content.decode()
    number = '<span class="figure__number">{}</span>'
    assert number.format("40,195") in html and number.format("53,611") in html
    assert number.format("2,010") in html and number.format("1,523") in html
    assert number.format("30.89") in html and number.format("72.351") in html
    assert number.format("371") in html
    numbers = re.findall(number.format("(.*?)"), html)
    assert len(numbers) == 72
    assert [n for n in numbers if re.search(r"\d{4}", n)] == []
    # in the charts: the value beside the bar and the description read out
    assert 'class="chart__value">40,195名</text>' in html
    assert "获得医疗互助补助职工 40,195名" in html
    # only the staff's own prose, left as written, still says 40195
    outside_prose = re.sub(r'<div class="prose">.*?</div>', "", html, flags=re.S)
    assert "40195" in html and "40195" not in outside_prose
    # years stay as they are
    assert "2023 年度报告" in html and "2,023" not in html
    assert "2024年“四项行动”" in html
    home = client.get("/").content.decode()
    assert number.format("40,195") in home and "2,023" not in home


def test_report_templates_hard_code_no_chinese(client):
    """Chinese, punctuation included (：、（）), is written only inside translatable strings,
    so the English catalogue can give English words and English punctuation."""
    root = Path("templates")
    translatable = re.compile(
        r"{% blocktranslate.*?{% endblocktranslate %}|{% translate .*?%}|_\(\".*?\"\)|{#.*?#}",
        re.S,
    )
    for name in [
        "reports/annualreport_detail.html",
        "reports/annualreport_list.html",
        "reports/includes/report_body.html",
        "reports/includes/back_to_toc.html",
        "includes/figure.html",
        "includes/bar_chart.html",
        "home.html",
    ]:
        rest = translatable.sub("", (root / name).read_text(encoding="utf-8"))
        assert not re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", rest), name


def test_archive_lists_published_reports_only(client, report_2023):
    AnnualReportFactory(year=2024, title="草稿中的报告")
    html = client.get("/reports/").content.decode()
    assert "劈波斩浪勇向前" in html
    assert "草稿中的报告" not in html


def test_home_shows_headline_figures(client, report_2023):
    html = client.get("/").content.decode()
    assert "371" in html and "“厂门口上大学”资助职工" in html.replace("&ldquo;", "“").replace(
        "&rdquo;", "”"
    )
    assert 'href="/reports/2023/"' in html


def test_draft_is_not_found_for_the_public(client, db):
    draft = ReportSectionFactory(report__year=2031, heading="未发布的章节").report
    for url in ["/reports/2031/", "/reports/2031/figures.csv", "/reports/2031/figures.json"]:
        assert client.get(url).status_code == 404
    assert "未发布的章节" not in client.get("/reports/").content.decode()
    assert "未发布的章节" not in client.get("/").content.decode()
    assert draft.status == "draft"


def test_edits_after_publishing_stay_invisible_until_published_again(client, report_2023):
    section = report_2023.sections.first()
    section.heading = "尚未发布的新标题"
    section.save()
    assert "尚未发布的新标题" not in client.get("/reports/2023/").content.decode()
    report_publish(report=report_2023, user=None)
    assert "尚未发布的新标题" in client.get("/reports/2023/").content.decode()


def test_figures_as_csv(client, report_2023):
    response = client.get("/reports/2023/figures.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 72
    first = rows[0]
    assert first["label"] == "“守好红色根脉·班前十分钟活动”"
    assert (first["value"], first["unit"], first["text"]) == ("40", "场", "40场")
    # open data keeps raw numbers, without the page's thousands separators
    medical = next(r for r in rows if r["label"] == "获得医疗互助补助职工")
    assert (medical["value"], medical["text"]) == ("40195", "40195名")
    assert not any("," in row["value"] + row["text"] for row in rows)


def test_figures_as_json(client, report_2023):
    body = json.loads(client.get("/reports/2023/figures.json").content)
    assert body["year"] == 2023 and len(body["figures"]) == 72
    medical = next(f for f in body["figures"] if f["label"] == "医疗互助补助")
    assert Decimal(medical["value"]) == Decimal("72.351")
    assert medical["text"] == "72.351万元"
    workers = next(f for f in body["figures"] if f["label"] == "获得医疗互助补助职工")
    assert (workers["value"], workers["text"]) == ("40195", "40195名")


def test_csv_neutralises_formula_cells(client, db):
    figure = KeyFigureFactory(label='=HYPERLINK("http://evil")', section__report__year=2032)
    report_publish(report=figure.report, user=None)
    text = client.get("/reports/2032/figures.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def _report_with(year, sections, figures_per_section):
    report = AnnualReportFactory(year=year)
    for _ in range(sections):
        section = ReportSectionFactory(report=report)
        for _ in range(figures_per_section):
            KeyFigureFactory(section=section, report=report)
    report_publish(report=report, user=None)
    return report


@pytest.mark.parametrize("url", ["/reports/{year}/", "/reports/{year}/figures.json"])
def test_query_count_does_not_grow_with_content(client, db, url):
    """The public page reads one snapshot row whatever the size of the report."""
    small = _report_with(2040, sections=1, figures_per_section=1)
    large = _report_with(2041, sections=12, figures_per_section=15)
    counts = []
    for report in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(year=report.year)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == 1


def test_english_page(client, report_2023):
    response = client.get("/en/reports/2023/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Annual report" in html and "Contents" in html and "Skip to content" in html
    # the language switch links the same page in the other language
    assert 'href="/reports/2023/" lang="zh-hans"' in html


def test_chinese_is_the_default_whatever_the_browser_says(client, report_2023):
    response = client.get("/reports/2023/", headers={"accept-language": "en"})
    assert response["Content-Language"] == "zh-hans"
    assert "跳到正文" in response.content.decode()


def test_security_headers(client, report_2023):
    response = client.get("/reports/2023/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_or_style_without_nonce(client, report_2023):
    for url in ["/", "/reports/", "/reports/2023/"]:
        html = client.get(url).content.decode()
        assert "<script" not in html
        assert "<style" not in html
        assert " style=" not in html


def test_health_checks(client, db):
    assert client.get("/healthz/live").json() == {"status": "ok"}
    assert client.get("/healthz/ready").json() == {"status": "ok"}


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/reports/1999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/reports/00002023/",
        "/reports/02023/figures.csv",
        "/reports/99999999999999999999/",
        "/reports/99999999999999999999/figures.csv",
        "/reports/0/",
    ],
)
def test_a_report_has_one_address(client, report_2023, url):
    assert client.get(url).status_code == 404
