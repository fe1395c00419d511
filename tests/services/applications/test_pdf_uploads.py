"""PDF proofs are opened and walked before they are accepted: scripts, automatic actions,
launch actions, embedded files and XFA forms are refused, as are encrypted and broken files;
ordinary PDFs pass."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NullObject, TextStringObject

from services.applications import uploads
from services.applications.models import Attachment
from services.applications.uploads import (
    pdf_active_content,
    pdf_raw_active_content,
)
from tests.services.applications import conftest as helpers
from tests.services.applications.conftest import pdf


@pytest.fixture
def draft(program, member):
    return helpers.draft(program, member, "1000")


def upload(worker, draft, file, kind="admission"):
    return worker.post(f"/me/applications/{draft.pk}/upload/", {"kind": kind, "file": file})


def written(writer):
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_page():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def action(kind, **entries):
    values = {NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()}
    return DictionaryObject({NameObject("/S"): NameObject(kind), **values})


def pdf_with_open_action_javascript():
    writer = one_page()
    script = writer._add_object(action("/JavaScript", JS="app.alert(1)"))
    writer.root_object[NameObject("/OpenAction")] = script
    return written(writer)


def pdf_with_open_action_uri():
    writer = one_page()
    writer.root_object[NameObject("/OpenAction")] = action("/URI", URI="https://example.com/t")
    return written(writer)


def pdf_with_page_aa():
    """Opening the page visits a URL: no script at all, but an automatic action."""
    writer = one_page()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("/URI", URI="https://example.com/t")}
    )
    return written(writer)


def pdf_with_document_javascript():
    """A script in the document's /Names tree, which viewers run on opening."""
    writer = one_page()
    script = writer._add_object(action("/JavaScript", JS="app.alert(1)"))
    names = ArrayObject([TextStringObject("init"), script])
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
    )
    return written(writer)


def pdf_with_launch_link():
    writer = one_page()
    writer.add_annotation(0, Link(rect=(0, 0, 100, 100), url="https://example.com"))
    link = writer.pages[0]["/Annots"][0].get_object()
    link[NameObject("/A")] = action("/Launch", F="calc.exe")
    return written(writer)


def pdf_with_xfa_form():
    writer = one_page()
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): NullObject()}
    )
    return written(writer)


def pdf_with_attachment():
    writer = one_page()
    writer.add_attachment("readme.txt", b"hello")
    return written(writer)


def encrypted_pdf(user_password):
    writer = one_page()
    writer.encrypt(user_password, owner_password="owner-password", algorithm="AES-128")
    return written(writer)


def pdf_that_needs_a_password():
    return encrypted_pdf(user_password="user-password")


def pdf_with_only_an_owner_password():
    """Opens without a password (only printing or copying is restricted), still encrypted."""
    return encrypted_pdf(user_password="")


def pdf_of_garbage():
    return b"%PDF-1.7\n" + b"\x00garbage\xff" * 100


def pdf_cut_short():
    return pdf().read()[:200]


def pdf_without_xref_or_pages():
    """What these tests used to upload."""
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def plain_pdf():
    return pdf().read()


def object_stream_pdf(catalog_extra=b"", extra=None):
    """A PDF 1.5 whose objects all sit in one compressed object stream, found through a
    cross-reference stream, as modern writers make them: nothing readable in the raw bytes."""
    objects = {
        2: b"<< /Type /Catalog /Pages 3 0 R" + catalog_extra + b" >>",
        3: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        4: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
        **(extra or {}),
    }
    numbers = sorted(objects)
    body, offsets = b"", []
    for number in numbers:
        offsets.append(len(body))
        body += objects[number] + b"\n"
    header = b" ".join(b"%d %d" % pair for pair in zip(numbers, offsets, strict=True)) + b"\n"
    packed = zlib.compress(header + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    stream_at = len(out)
    out += (
        b"1 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(numbers), len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_number = max(numbers) + 1
    xref_at = len(out)
    rows = [b"\x00" + bytes(4) + b"\xff\xff", b"\x01" + stream_at.to_bytes(4) + bytes(2)]
    for number in range(2, xref_number):
        if number in objects:
            rows.append(b"\x02" + (1).to_bytes(4) + numbers.index(number).to_bytes(2))
        else:
            rows.append(b"\x00" + bytes(6))
    rows.append(b"\x01" + xref_at.to_bytes(4) + bytes(2))
    table = b"".join(rows)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(table))
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return out


def pdf_with_javascript_in_an_object_stream():
    return object_stream_pdf(
        b" /OpenAction 5 0 R", {5: b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"}
    )


def pdf_with_javascript_outside_the_xref():
    """A script object pypdf never reads (after the end), which a repairing viewer may find;
    its name is spelt with a #xx escape, which viewers decode."""
    return pdf().read() + b"9 0 obj\n<< /S /J#61vaScript /JS (app.alert\\(1\\)) >>\nendobj\n"


ACTIVE = "PDF 中含有脚本或自动执行的动作，出于安全原因不能接受。请用“打印为 PDF”重新生成后上传。"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (pdf_with_open_action_javascript, ACTIVE),
        (pdf_with_open_action_uri, ACTIVE),
        (pdf_with_page_aa, ACTIVE),
        (pdf_with_document_javascript, ACTIVE),
        (pdf_with_launch_link, ACTIVE),
        (pdf_with_xfa_form, ACTIVE),
        (pdf_with_javascript_in_an_object_stream, ACTIVE),
        (pdf_with_javascript_outside_the_xref, ACTIVE),
        (pdf_with_attachment, "PDF 中附带了其他文件，出于安全原因不能接受。"),
        (pdf_that_needs_a_password, "PDF 已加密，无法检查，请上传未加密的文件。"),
        (pdf_with_only_an_owner_password, "PDF 已加密，无法检查，请上传未加密的文件。"),
        (pdf_of_garbage, "PDF 文件已损坏，无法打开。"),
        (pdf_cut_short, "PDF 文件已损坏，无法打开。"),
        (pdf_without_xref_or_pages, "PDF 文件已损坏，无法打开。"),
    ],
    ids=lambda value: getattr(value, "__name__", "-"),
)
def test_unsafe_or_unreadable_pdfs_are_refused(worker, draft, make, message):
    response = upload(worker, draft, SimpleUploadedFile("收据.pdf", make()))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_script_in_an_object_stream_is_found_by_walking_the_objects():
    data = pdf_with_javascript_in_an_object_stream()
    assert pdf_raw_active_content(data) is None  # compressed: the byte scan cannot see it
    assert pdf_active_content(PdfReader(io.BytesIO(data), strict=False)) == "script"


def test_a_script_outside_the_xref_is_found_by_the_byte_scan():
    data = pdf_with_javascript_outside_the_xref()
    assert pdf_active_content(PdfReader(io.BytesIO(data), strict=False)) is None
    assert pdf_raw_active_content(data) == "script"


@pytest.mark.parametrize(
    ("data", "verdict"),
    [
        (b"<< /S /JavaScript >>", "script"),
        (b"<</JS(app.alert(1))>>", "script"),
        (b"<< /J#53 <6170702e> >>", "script"),
        (b"<< /JS 12 0 R >>", "script"),
        (b"<< /S /Launch >>", "script"),
        (b"<< /Type /EmbeddedFile >>", "attachment"),
        (b"<< /EmbeddedFiles 3 0 R >>", "attachment"),
        (b"\x8f\x12/JS\xfe\x01binary", None),  # by chance, in compressed data
        (b"/JSON /JavaScripts /Launcher", None),
    ],
)
def test_byte_scan(data, verdict):
    assert pdf_raw_active_content(data) == verdict


def test_a_pdf_too_big_to_inspect_is_refused(worker, draft, monkeypatch):
    monkeypatch.setattr(uploads, "PDF_MAX_OBJECTS", 3)  # the plain PDF has four
    response = upload(worker, draft, pdf())
    assert response.status_code == 400
    assert "PDF 文件结构过于复杂，无法检查。" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_pdf_that_takes_too_long_to_inspect_is_refused(worker, draft, monkeypatch):
    monkeypatch.setattr(uploads, "PDF_CHECK_SECONDS", -1)
    response = upload(worker, draft, pdf())
    assert response.status_code == 400
    assert "PDF 文件结构过于复杂，无法检查。" in response.content.decode()
    assert not Attachment.objects.exists()


def test_dangling_references_are_not_looked_up(monkeypatch):
    """pypdf searches the whole file for each object it cannot find in the table; a file
    full of references to nothing must not make the check do that thousands of times."""
    dangling = b" ".join(b"%d 0 R" % number for number in range(100, 3100))
    data = object_stream_pdf(b" /Refs [" + dangling + b"]")
    reader = PdfReader(io.BytesIO(data), strict=False)
    looked_up = []
    get_object = reader.get_object
    monkeypatch.setattr(reader, "get_object", lambda ref: looked_up.append(ref) or get_object(ref))
    assert pdf_active_content(reader) is None
    # only what the table lists: the object stream, the three objects in it, the xref stream
    assert {reference.idnum for reference in looked_up} == {1, 2, 3, 4, 5}


def pdf_with_link_that_opens_at_the_first_page():
    """A link to a website and opening at a page are everyday things, not active content."""
    writer = one_page()
    writer.add_annotation(0, Link(rect=(0, 0, 100, 100), url="https://www.acftu.org"))
    writer.root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    return written(writer)


@pytest.mark.parametrize(
    "make",
    [plain_pdf, pdf_with_link_that_opens_at_the_first_page, object_stream_pdf],
)
def test_ordinary_pdfs_are_accepted(worker, draft, make):
    response = upload(worker, draft, SimpleUploadedFile("收据.pdf", make()))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.original_name == "收据.pdf"


# Storage and downloads -----------------------------------------------------------------------
