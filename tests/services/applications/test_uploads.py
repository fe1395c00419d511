"""Proofs are judged by their content; names are cleaned; files are private."""

import io
import struct
import warnings
import zlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from services.applications.models import Attachment
from services.applications.uploads import (
    clean_filename,
    download_name,
)
from tests.services.applications import conftest as helpers
from tests.services.applications.conftest import pdf


@pytest.fixture
def draft(program, member):
    return helpers.draft(program, member, "1000")


def upload(worker, draft, file, kind="admission"):
    return worker.post(f"/me/applications/{draft.pk}/upload/", {"kind": kind, "file": file})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("image.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("notes.png", b"just some text pretending to be a picture"),
    ],
)
def test_disguised_files_are_refused(worker, draft, name, content):
    response = upload(worker, draft, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert "只接受 PDF、JPG、PNG 文件" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_50_mb_file_is_refused_before_it_is_read(worker, draft):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    response = upload(worker, draft, big)
    assert response.status_code == 413
    assert "不能超过 10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_size_limit_applies_even_without_a_content_length(draft, member, settings):
    from django.core.exceptions import ValidationError

    from services.applications.services import attachment_add

    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="不能超过"):
        attachment_add(
            application=draft, actor=member.user, kind="admission",
            upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n" + b"0" * 2048),
        )  # fmt: skip


# Images: Pillow's pixel limit, without its grace zone --------------------------------------


def png(width, height):
    """A valid all-black 1-bit PNG of any size, built row by row so nothing holds its pixels."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    row = b"\x00" * (1 + (width + 7) // 8)  # the filter byte, then the packed bits
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def image(fmt, size=(20, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


def test_decompression_bomb_is_refused(worker, draft):
    Image.MAX_IMAGE_PIXELS, old = 50_000_000, Image.MAX_IMAGE_PIXELS
    try:  # 144 megapixels, more than twice the limit: Pillow itself raises
        response = upload(worker, draft, SimpleUploadedFile("bomb.png", png(12000, 12000)))
    finally:
        Image.MAX_IMAGE_PIXELS = old
    assert response.status_code == 400
    assert "图片尺寸过大" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.fixture
def just_too_big():
    """A real PNG a little over Pillow's limit, where Pillow only warns."""
    limit = Image.MAX_IMAGE_PIXELS
    width = 10_000
    height = limit // width + 1
    assert limit < width * height < 2 * limit
    data = png(width, height)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as opened:  # a warning, not an error
            assert opened.size == (width, height)
    return data


def test_an_image_pillow_only_warns_about_is_refused(worker, draft, just_too_big):
    response = upload(worker, draft, SimpleUploadedFile("big.png", just_too_big))
    assert response.status_code == 400
    assert "图片尺寸过大" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_pixel_count_holds_even_if_the_warning_is_not_an_error(
    worker, draft, just_too_big, monkeypatch
):
    """warnings.catch_warnings is process-wide; the explicit count must hold on its own."""
    monkeypatch.setattr(warnings, "simplefilter", lambda *args, **kwargs: None)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
        response = upload(worker, draft, SimpleUploadedFile("big.png", just_too_big))
    assert response.status_code == 400
    assert "图片尺寸过大" in response.content.decode()
    assert not Attachment.objects.exists()


def test_ordinary_images_are_accepted(worker, draft):
    assert upload(worker, draft, SimpleUploadedFile("a.png", image("PNG"))).status_code == 302
    response = upload(worker, draft, SimpleUploadedFile("b.jpg", image("JPEG")), kind="receipt")
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/png",
    ]


# Names ---------------------------------------------------------------------------------------


def test_names_are_cleaned_and_files_stored_under_random_names(worker, draft):
    response = upload(worker, draft, pdf("../../etc/\u202epasswd\x00录取通知书.pdf"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd录取通知书.pdf"
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.file.name.startswith("private/applications/")
    assert len(attachment.sha256) == 64 and attachment.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\me\\收据.pdf", "收据.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("   ", "file"),
        ("\u202egpj.exe", "gpj.exe"),
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("收据.jpg", None, "收据.pdf"),
        ("收据", None, "收据.pdf"),
        ("x.exe", None, "x.pdf"),
        ("收据.PDF", None, "收据.pdf"),
        ("照片.jpeg", "JPEG", "照片.jpg"),
        ("照片.pdf", "JPEG", "照片.jpg"),
        ("扫描件.pdf", "PNG", "扫描件.png"),
        ("扫描件", "PNG", "扫描件.png"),
    ],
)
def test_the_download_name_ends_in_the_type_found(worker, draft, name, content, stored):
    file = pdf(name) if content is None else SimpleUploadedFile(name, image(content))
    assert upload(worker, draft, file).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == stored
    download = worker.get(f"/me/applications/{draft.pk}/files/{attachment.pk}/")
    assert quote(stored) in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("raw", "content_type", "clean"),
    [
        ("C:\\Users\\me\\收据.jpg", "application/pdf", "收据.pdf"),
        ("../../\u202egpj.exe", "image/png", "gpj.png"),
        ("a" * 300 + ".exe", "application/pdf", "a" * 96 + ".pdf"),
        ("a" * 300, "image/jpeg", "a" * 96 + ".jpg"),
        ("报告 v1.2", "application/pdf", "报告 v1.2.pdf"),
        ("archive.tar.gz", "application/pdf", "archive.tar.pdf"),
        (".jpg", "application/pdf", "jpg.pdf"),
        ("收据 .jpg", "application/pdf", "收据.pdf"),
        ("", "image/png", "file.png"),
        ("\x00\u200f", "application/pdf", "file.pdf"),
    ],
)
def test_download_name(raw, content_type, clean):
    assert download_name(raw, content_type) == clean
    assert len(download_name(raw, content_type)) <= 100


# PDFs: no active content, no encryption, must open ------------------------------------------


def test_downloads_are_attachments_with_nosniff(worker, draft):
    upload(worker, draft, pdf("录取通知书.pdf"))
    attachment = Attachment.objects.get()
    response = worker.get(f"/me/applications/{draft.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_no_direct_media_url(client, worker, draft):
    upload(worker, draft, pdf())
    attachment = Attachment.objects.get()
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_the_same_file_on_two_applications_is_flagged_to_staff(
    worker, draft, program, staff_client, approver
):
    from django.urls import reverse

    from tests.services.applications.conftest import make_eligible

    upload(worker, draft, pdf("a.pdf", "same"))
    other_member = make_eligible(mobile="13200000002")
    other = helpers.draft(program, other_member, "1000")
    from services.applications.services import attachment_add

    attachment_add(
        application=other, actor=other_member.user, kind="admission", upload=pdf("b.pdf", "same")
    )
    page = (
        staff_client(approver)
        .get(reverse("admin:applications_application_change", args=[other.pk]))
        .content.decode()
    )
    assert f"同一文件也用于 {draft.reference}（吴学员）" in page


def test_no_uploads_after_submission(worker, draft):
    upload(worker, draft, pdf("a.pdf", "1"))
    upload(worker, draft, pdf("b.pdf", "2"), kind="receipt")
    worker.post(f"/me/applications/{draft.pk}/submit/")
    response = worker.post(
        f"/me/applications/{draft.pk}/upload/",
        {"kind": "other", "file": pdf("c.pdf", "3")},
        follow=True,
    )
    assert "申请已提交，现在不能再上传材料" in response.content.decode()
    assert Attachment.objects.filter(application=draft).count() == 2
