"""The shipped 2023 report against its source, the OCR'd newspaper page in shared/seeds."""

import os
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from reports.models import AnnualReport, KeyFigure, ReportStatus

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "annual-report-2023.txt"

# OCR slips the shipped text mends; the seed is compared after the same mending.
OCR_MENDS = {"與情": "舆情", "-组组": "一组组"}
# Digits in the seed that are not quantities: the year (three times) and the "1" of the
# name "1+N服务职工新体系".
NOT_QUANTITIES = Counter({"2023": 3, "1": 1})


def seed_text() -> str:
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI runs with shared/ beside the project; no seed text at {SEED}")
        pytest.skip(f"seed text not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


def normalise(text: str) -> str:
    """Only the characters that carry meaning: CJK, letters, digits, '.', '%', '+'."""
    for wrong, right in OCR_MENDS.items():
        text = text.replace(wrong, right)
    return re.sub(r"[^\w.%+]|_", "", text)


def report_text(report: AnnualReport) -> str:
    parts = ["区总工会", report.title, report.authors, report.lede]
    for section in report.sections.all():
        parts += [section.kicker, section.heading, section.body]
    for item in report.plan_items.all():
        parts += [item.title, item.subtitle, item.body]
    return "".join(parts)


def test_every_number_in_the_seed_is_a_key_figure(report_2023):
    seed_numbers = Counter(re.findall(r"\d+(?:\.\d+)?", seed_text())) - NOT_QUANTITIES
    figures = KeyFigure.objects.filter(report=report_2023)
    figure_numbers = Counter(format(f.value.normalize(), "f") for f in figures)
    assert figures.count() == sum(seed_numbers.values()) == 72
    assert figure_numbers == seed_numbers


@pytest.mark.parametrize(
    ("label", "value", "unit", "qualifier"),
    [
        ("“厂门口上大学”资助职工", "371", "名", ""),
        ("“厂门口上大学”资助专科学费", "184", "万元", ""),
        ("医疗互助补助", "72.351", "万元", ""),
        ("招募职工志愿者", "1.2", "万名", ""),
        ("开展志愿服务", "4.8", "万人次", ""),
        ("参与技能竞赛职工", "2", "万人", "over"),
        ("各级工会劳动技能竞赛", "400", "场", "odd"),
        ("劳动法律监督员", "300", "人", "passed"),
        ("追缴工会经费收入", "262.86", "万元", ""),
        ("慰问高温作业职工", "45928", "人", ""),
    ],
)
def test_sample_figures(report_2023, label, value, unit, qualifier):
    figure = KeyFigure.objects.get(report=report_2023, label=label)
    assert figure.value == Decimal(value)
    assert (figure.unit, figure.qualifier) == (unit, qualifier)


def test_every_part_of_the_seed_is_in_the_report_in_order(report_2023):
    text = normalise(report_text(report_2023))
    position = 0
    for line in seed_text().splitlines():
        chunk = normalise(line)
        if not chunk:
            continue
        found = text.find(chunk, position)
        assert found >= 0, f"missing or out of order: {line.strip()[:40]}"
        position = found + len(chunk)


def test_ocr_slips_are_mended(report_2023):
    text = report_text(report_2023)
    for slip in ["與情", "-组组", "**", "'三大", "高质量 发展"]:
        assert slip not in text
    assert "一组组亮眼数字" in text
    assert "处理舆情监测预警64条" in text


def test_structure(report_2023):
    assert report_2023.status == ReportStatus.PUBLISHED
    assert [s.kicker + s.heading for s in report_2023.sections.all()] == [
        "“两个强化”筑牢团结奋斗的思想根基",
        "深化产业工人队伍建设改革",
        "“三大机制”维护职工合法权益取得实效",
        "“三大建设”发挥党联系职工群众的桥梁和纽带作用",
    ]
    assert [p.title for p in report_2023.plan_items.all()] == [
        "在“凝心铸魂”行动中“增三性”",
        "在“团结奋进”行动中“调三性”",
        "在“服务聚力”行动中“提三感”",
        "在“改革强基”行动中“促三力”",
    ]


def test_loading_twice_keeps_staff_edits(db):
    call_command("load_annual_report")
    report = AnnualReport.objects.get(year=2023)
    section = report.sections.first()
    section.heading = "员工修改过的标题"
    section.save()
    call_command("load_annual_report")
    assert AnnualReport.objects.count() == 1
    assert KeyFigure.objects.count() == 72
    assert report.sections.first().heading == "员工修改过的标题"
    call_command("load_annual_report", "--replace")
    assert report.sections.first().heading == "筑牢团结奋斗的思想根基"
    assert KeyFigure.objects.count() == 72
