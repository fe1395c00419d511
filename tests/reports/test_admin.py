"""Staff editing the report in the Django admin, through real admin requests."""

import pytest
from django.urls import reverse

from reports.models import AnnualReport, KeyFigure, ReportRevision, ReportSection
from tests.conftest import login_staff
from tests.factories import AnnualReportFactory, StaffUserFactory

INLINES = {
    "sections": ["id", "order", "kicker", "heading", "body"],
    "figures": [
        "id",
        "section",
        "order",
        "label",
        "value",
        "unit",
        "qualifier",
        "is_headline",
        "source",
        "source_option",
        "source_year",
    ],  # fmt: skip
    "plan_items": ["id", "order", "title", "subtitle", "body"],
}


def form_data(report: AnnualReport | None = None, **fields) -> dict:
    """What the admin change form posts for ``report`` as it stands (or an empty add form)."""
    data = {
        "year": report.year if report else "",
        "title": report.title if report else "",
        "subtitle": report.subtitle if report else "",
        "authors": report.authors if report else "",
        "lede": report.lede if report else "",
        "plan_heading": report.plan_heading if report else "",
        "plan_intro": report.plan_intro if report else "",
        "open_data_min_group": report.open_data_min_group if report else 5,
    }
    for prefix, names in INLINES.items():
        rows = list(getattr(report, prefix).all()) if report else []
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for i, row in enumerate(rows):
            for name in names:
                value = getattr(row, f"{name}_id" if name == "section" else name)
                if value is None:
                    continue
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{i}-{name}"] = "on"
                    continue
                data[f"{prefix}-{i}-{name}"] = value
            data[f"{prefix}-{i}-report"] = report.pk
    data.update(fields)
    return data


def change_url(report):
    return reverse("admin:reports_annualreport_change", args=[report.pk])


def test_editor_edits_a_section_and_a_revision_is_kept(editor_client, report_2023):
    section = report_2023.sections.get(order=20)
    index = list(report_2023.sections.all()).index(section)
    data = form_data(
        report_2023, **{f"sections-{index}-heading": "深化产业工人队伍建设改革（修订）"}
    )
    response = editor_client.post(change_url(report_2023), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    section.refresh_from_db()
    assert section.heading == "深化产业工人队伍建设改革（修订）"
    latest = report_2023.revisions.first()
    assert latest.note == "编辑" and latest.created_by.is_staff
    assert latest.snapshot["sections"][index]["heading"] == "深化产业工人队伍建设改革（修订）"


def test_duplicate_year_is_refused_with_a_clear_message(editor_client, report_2023):
    response = editor_client.post(
        reverse("admin:reports_annualreport_add"), form_data(year=2023, title="重复的报告")
    )
    assert response.status_code == 200
    assert "这一年份的年度报告已经存在" in response.content.decode()
    assert AnnualReport.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [("四十", "数值必须是数字"), ("1e5", "数值必须是数字"), ("-3", "不能是负数")],
)
def test_non_numeric_figure_is_refused_and_nothing_is_lost(
    editor_client, report_2023, typed, message
):
    figures = list(report_2023.figures.select_related("section"))
    data = form_data(
        report_2023,
        **{"figures-0-value": typed, "sections-0-heading": "这次修改不应半途保存"},
    )
    response = editor_client.post(change_url(report_2023), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # what the editor typed is still in the form
    assert "这次修改不应半途保存" in html and f'value="{typed}"' in html
    assert not ReportSection.objects.filter(heading="这次修改不应半途保存").exists()
    assert KeyFigure.objects.get(pk=figures[0].pk).value == figures[0].value


def test_script_in_a_section_body_is_refused(editor_client, report_2023):
    data = form_data(report_2023, **{"sections-0-body": "正文<script>alert(1)</script>"})
    response = editor_client.post(change_url(report_2023), data)
    assert response.status_code == 200
    assert "正文不能包含 HTML 标签（发现“&lt;script”）" in response.content.decode()
    assert "<script>alert(1)" not in ReportSection.objects.get(report=report_2023, order=10).body


def test_figure_section_must_belong_to_the_report(editor_client, report_2023):
    other = ReportSection.objects.create(
        report=AnnualReportFactory(year=2035), heading="别的报告的章节"
    )
    data = form_data(report_2023, **{"figures-0-section": other.pk})
    response = editor_client.post(change_url(report_2023), data)
    assert response.status_code == 200
    assert KeyFigure.objects.filter(section=other).count() == 0


def test_new_report_then_preview_then_publish(editor_client, client, db):
    response = editor_client.post(
        reverse("admin:reports_annualreport_add"),
        form_data(
            year=2024,
            title="2024年的报告",
            **{
                "sections-TOTAL_FORMS": 1,
                "sections-0-order": 1,
                "sections-0-heading": "新的章节",
                "sections-0-body": "这一年**很忙**。",
            },
        ),
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(year=2024)
    assert client.get("/reports/2024/").status_code == 404

    preview = editor_client.get(reverse("admin:reports_annualreport_preview", args=[report.pk]))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "新的章节" in html and "<strong>很忙</strong>" in html
    assert "这是工作稿，公众看不到" in html
    assert preview["Cache-Control"].startswith("max-age=0")

    publish = editor_client.post(
        reverse("admin:reports_annualreport_publish", args=[report.pk]), {"action": "publish"}
    )
    assert publish.status_code == 302
    assert "新的章节" in client.get("/reports/2024/").content.decode()


def test_publish_and_unpublish_admin_actions(editor_client, client, report_2023):
    changelist = reverse("admin:reports_annualreport_changelist")
    editor_client.post(
        changelist, {"action": "unpublish_selected", "_selected_action": [report_2023.pk]}
    )
    assert client.get("/reports/2023/").status_code == 404
    response = editor_client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [report_2023.pk]},
        follow=True,
    )
    assert "已发布 1 份报告" in response.content.decode()
    assert client.get("/reports/2023/").status_code == 200


def test_empty_report_cannot_be_published(editor_client, db):
    report = AnnualReportFactory(year=2036)
    response = editor_client.post(
        reverse("admin:reports_annualreport_publish", args=[report.pk]), follow=True
    )
    assert "报告还没有任何章节，不能发布" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"


def test_publishing_again_without_a_change_does_nothing(editor_client, report_2023):
    """A double click on 发布 (or two editors at once) freezes nothing twice."""
    url = reverse("admin:reports_annualreport_publish", args=[report_2023.pk])
    revisions = report_2023.revisions.count()
    published_at = AnnualReport.objects.get(pk=report_2023.pk).published_at
    response = editor_client.post(url, follow=True)
    assert "此后没有新的修改" in response.content.decode()
    assert report_2023.revisions.count() == revisions
    assert AnnualReport.objects.get(pk=report_2023.pk).published_at == published_at


def test_a_zero_with_a_qualifier_is_not_published(editor_client, report_2023):
    """超0万人 is a figure nobody typed (next year's draft starts its figures at 0)."""
    figure = report_2023.figures.exclude(qualifier="").first()
    KeyFigure.objects.filter(pk=figure.pk).update(value=0)
    response = editor_client.post(
        reverse("admin:reports_annualreport_publish", args=[report_2023.pk]), follow=True
    )
    assert (
        "多半还没有填写" in response.content.decode() and figure.label in response.content.decode()
    )
    assert AnnualReport.objects.get(pk=report_2023.pk).published_snapshot == (
        report_2023.published_snapshot
    )


def test_revisions_can_be_viewed_and_restored(editor_client, report_2023):
    original_heading = report_2023.sections.first().heading
    data = form_data(report_2023, **{"sections-0-heading": "改坏了的标题"})
    editor_client.post(change_url(report_2023), data)
    revisions = editor_client.get(
        reverse("admin:reports_annualreport_revisions", args=[report_2023.pk])
    )
    assert revisions.status_code == 200
    first = report_2023.revisions.order_by("number").first()
    view = editor_client.get(
        reverse("admin:reports_annualreport_revision", args=[report_2023.pk, first.number])
    )
    assert original_heading in view.content.decode()
    editor_client.post(
        reverse("admin:reports_annualreport_revision_restore", args=[report_2023.pk, first.number])
    )
    assert report_2023.sections.first().heading == original_heading
    assert report_2023.figures.count() == 72
    assert report_2023.revisions.first().note == f"恢复到第 {first.number} 版"


def test_restore_needs_post(editor_client, report_2023):
    first = report_2023.revisions.order_by("number").first()
    url = reverse(
        "admin:reports_annualreport_revision_restore", args=[report_2023.pk, first.number]
    )
    count = report_2023.revisions.count()
    response = editor_client.get(url)
    # Opened with GET, the POST-only address leads back to the revision it belongs to.
    assert response.status_code == 302
    assert response["Location"] == url.removesuffix("restore/")
    assert report_2023.revisions.count() == count
    assert editor_client.put(url).status_code == 405


def test_revisions_are_read_only_even_for_a_superuser(client, report_2023):
    login_staff(client, StaffUserFactory(is_superuser=True))
    revision = report_2023.revisions.first()
    url = reverse("admin:reports_reportrevision_delete", args=[revision.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ReportRevision.objects.filter(pk=revision.pk).exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:reports_annualreport_preview",
        "admin:reports_annualreport_revisions",
    ],
)
def test_staff_without_report_permissions_are_refused(client, report_2023, url_name):
    login_staff(client, StaffUserFactory())
    assert client.get(reverse(url_name, args=[report_2023.pk])).status_code == 403


def test_staff_without_publish_permission_cannot_publish(client, report_2023):
    user = StaffUserFactory()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="change_annualreport"))
    login_staff(client, user)
    url = reverse("admin:reports_annualreport_publish", args=[report_2023.pk])
    assert client.post(url, {"action": "unpublish"}).status_code == 403
    report_2023.refresh_from_db()
    assert report_2023.is_published


def test_anonymous_users_are_sent_to_the_admin_login(client, report_2023):
    url = reverse("admin:reports_annualreport_preview", args=[report_2023.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_cover_image_is_served_only_once_published(editor_client, client, report_2023):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(report_2023, cover_image=SimpleUploadedFile("cover.png", _png(), "image/png"))
    assert editor_client.post(change_url(report_2023), data).status_code == 302
    report_2023.refresh_from_db()
    assert report_2023.cover_image
    # the published snapshot predates the cover: publishing again shows it
    assert "/reports/2023/cover" not in client.get("/reports/2023/").content.decode()
    editor_client.post(reverse("admin:reports_annualreport_publish", args=[report_2023.pk]))
    assert "/reports/2023/cover" in client.get("/reports/2023/").content.decode()
    response = client.get("/reports/2023/cover")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    editor_client.post(
        reverse("admin:reports_annualreport_publish", args=[report_2023.pk]),
        {"action": "unpublish"},
    )
    assert client.get("/reports/2023/cover").status_code == 404


def test_a_cover_that_is_not_an_image_is_refused(editor_client, report_2023):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("cover.png", b"<html>not an image</html>", "image/png")
    response = editor_client.post(change_url(report_2023), form_data(report_2023, cover_image=fake))
    assert response.status_code == 200
    assert "请上传一张有效的图片" in response.content.decode()
    report_2023.refresh_from_db()
    assert not report_2023.cover_image
