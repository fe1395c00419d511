"""Checking an uploaded proof by what it is, not what it is called.

Only PDF, JPEG and PNG are accepted, recognised by their magic bytes (``filetype``), never by
the name or the browser's content type. Then each kind is opened and checked, because staff
open these files on their own computers:

* Images must open in Pillow and be no larger than ``Image.MAX_IMAGE_PIXELS``. Pillow itself
  only *warns* between that limit and twice it, so the warning is turned into an error and the
  size is also checked by hand (``warnings.catch_warnings`` is not thread-safe before Python
  3.14; the explicit check is what holds under a threaded server).
* PDFs must open in ``pypdf``, must not be encrypted (an encrypted file cannot be inspected),
  and must not carry active content: JavaScript, actions that run on their own (``/AA``, an
  ``/OpenAction`` that does more than go to a page), launching programs, submitting or
  importing form data, opening other files, embedded files, rich media or XFA forms. Every
  object in the cross-reference table is inspected, including those inside compressed object
  streams, and the trailer. As a second line of defence the raw bytes are scanned for
  ``/JavaScript``, ``/JS``, ``/Launch`` and ``/EmbeddedFile`` names, which catches objects a
  lenient viewer might recover but ``pypdf`` does not see. Ordinary PDFs (from a scanner, a
  phone, "print to PDF") have none of these; a worker whose file is refused can print it to a
  new PDF. A file that would take too long to inspect (more than PDF_MAX_OBJECTS objects, or
  PDF_CHECK_SECONDS of work) is refused as well, so one upload cannot tie up a server.

The worker's file name is kept only as cleaned-up data for the download (no path, no control
or direction characters, at most 100 characters) and always ends in the extension of the type
found, so a PDF called "收据.jpg" is offered back as "收据.pdf"; the file itself is stored under a
random name. The SHA-256 lets staff see the same file used on two applications.
"""

import hashlib
import io
import os
import re
import time
import unicodedata
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

if TYPE_CHECKING:
    from pypdf import PdfReader

ALLOWED = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

# PDF names that mean active content wherever they appear, as a key or as a value.
PDF_SCRIPT_NAMES = frozenset(
    {
        "/JS",  # the script of a JavaScript action
        "/JavaScript",  # a JavaScript action, or the document-level scripts name tree
        "/AA",  # additional actions: run on opening a page, focusing a field, printing...
        "/Launch",  # starts a program or opens a file
        "/SubmitForm",  # sends form data to a URL
        "/ImportData",  # reads form data from a file
        "/GoToR",  # opens another (possibly remote) PDF
        "/GoToE",  # opens an embedded PDF
        "/RichMedia",  # Flash and other rich media
        "/RichMediaExecute",
        "/Rendition",  # plays media, may carry a script
        "/XFA",  # XML forms, which carry their own scripts
    }
)
PDF_ATTACHMENT_NAMES = frozenset({"/EmbeddedFile", "/EmbeddedFiles"})
# Bounds on the work one upload may cost. A scanned receipt has tens of objects and a long
# report a few thousand; at the limit the walk takes a few seconds.
PDF_MAX_OBJECTS = 50_000
PDF_CHECK_SECONDS = 10

# A PDF name in the raw bytes, with #xx escapes (which viewers decode: /J#53 is /JS).
_RAW_NAME = re.compile(rb"/((?:[^\x00\t\n\x0c\r ()<>\[\]{}/%#]|#[0-9A-Fa-f]{2})+)")
_RAW_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_RAW_TOKENS = {
    b"JavaScript": "script",
    b"Launch": "script",
    b"EmbeddedFile": "attachment",
    b"EmbeddedFiles": "attachment",
}
# "/JS" is only three bytes, so it turns up by chance in compressed data; it counts only when
# followed by a value a script can be: a string or a reference to a stream.
_WS = rb"[\x00\t\n\x0c\r ]"
_RAW_JS_VALUE = re.compile(_WS + rb"*(?:[(<]|\d+" + _WS + rb"+\d+" + _WS + rb"+R)")


@dataclass(frozen=True)
class UploadFacts:
    content_type: str
    size: int
    sha256: str
    name: str


def clean_filename(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    name = name.strip(" .") or "file"
    if len(name) > 100:
        stem, ext = os.path.splitext(name)
        name = stem[: 100 - len(ext[:10])] + ext[:10]
    return name


_EXTENSION = re.compile(r"\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{1,10}")


def download_name(name: str, content_type: str) -> str:
    """The cleaned name with its extension replaced by the one of the type found: "收据.jpg"
    holding a PDF becomes "收据.pdf", "收据" becomes "收据.pdf". Only a short alphanumeric
    extension is taken off, so "报告 v1.2" keeps its ".2" ("报告 v1.2.pdf")."""
    name = clean_filename(name)
    stem, ext = os.path.splitext(name)
    if _EXTENSION.fullmatch(ext):
        name = stem.rstrip(" .") or "file"
    ext = EXTENSIONS[content_type]
    return name[: 100 - len(ext)] + ext


def inspect_upload(upload) -> UploadFacts:
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件太大（%(size)s MB），每个文件不能超过 %(limit)s MB。")
            % {"size": round(upload.size / 1_048_576, 1), "limit": limit // 1_048_576},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise ValidationError(
            _("只接受 PDF、JPG、PNG 文件；这个文件的实际内容不是这几种格式（与文件名无关）。"),
            code="type",
        )
    if mime == "application/pdf":
        upload.seek(0)
        check_pdf(upload.read())
    else:
        check_image(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return UploadFacts(mime, upload.size, digest.hexdigest(), download_name(upload.name, mime))


# Images -------------------------------------------------------------------------------------


def check_image(upload) -> None:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                _check_pixels(image.size)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("图片尺寸过大，无法处理。"), code="bomb") from error
    except Exception as error:  # Pillow raises many kinds for a broken image
        raise ValidationError(_("图片已损坏，无法打开。"), code="broken") from error


def _check_pixels(size: tuple[int, int]) -> None:
    """Pillow's own rule (an image may have MAX_IMAGE_PIXELS pixels), without its grace zone."""
    limit = Image.MAX_IMAGE_PIXELS
    pixels = max(1, size[0]) * max(1, size[1])
    if limit and pixels > limit:
        raise Image.DecompressionBombError(f"{pixels} pixels, more than {limit}")


# PDFs ---------------------------------------------------------------------------------------


class _TooComplex(Exception):
    pass


def check_pdf(data: bytes) -> None:
    from pypdf import PdfReader  # pypdf loads only when a PDF comes in
    from pypdf.generic import DictionaryObject

    broken = ValidationError(_("PDF 文件已损坏，无法打开。"), code="pdf_broken")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as error:  # pypdf raises many kinds for a broken file
        raise broken from error
    if encrypted:
        raise ValidationError(_("PDF 已加密，无法检查，请上传未加密的文件。"), code="pdf_encrypted")
    try:
        found = pdf_active_content(reader, deadline=time.monotonic() + PDF_CHECK_SECONDS)
        has_catalog = found or isinstance(_resolve(reader.trailer, "/Root"), DictionaryObject)
    except _TooComplex as error:
        raise ValidationError(
            _("PDF 文件结构过于复杂，无法检查。请用“打印为 PDF”重新生成后上传。"),
            code="pdf_too_complex",
        ) from error
    except Exception as error:
        raise broken from error
    if not has_catalog:
        raise broken
    found = found or pdf_raw_active_content(data)
    if found == "attachment":
        raise ValidationError(
            _("PDF 中附带了其他文件，出于安全原因不能接受。请用“打印为 PDF”重新生成后上传。"),
            code="pdf_attachment",
        )
    if found:
        raise ValidationError(
            _(
                "PDF 中含有脚本或自动执行的动作，出于安全原因不能接受。"
                "请用“打印为 PDF”重新生成后上传。"
            ),
            code="pdf_active",
        )


def pdf_active_content(reader: "PdfReader", deadline: float | None = None) -> str | None:
    """ "script" or "attachment" if any object of the file carries active content, else None.

    Walks every object listed in the cross-reference table (and in object streams) and the
    trailer, each with everything nested in it; iterative, so a deeply nested file cannot
    exhaust the stack. References are not followed: whatever they point to is listed too, and
    looking up an unlisted object makes pypdf search the whole file for it, which a file full
    of dangling references would turn into minutes of work. Such objects can only be plain
    text in the file, which ``pdf_raw_active_content`` reads. Raises _TooComplex for a file
    with more than PDF_MAX_OBJECTS objects or one that takes longer than the deadline."""
    from pypdf.generic import (  # pypdf loads only when a PDF comes in
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
    )

    listed = [
        IndirectObject(idnum, generation, reader)
        for generation, numbers in reader.xref.items()
        for idnum in numbers
    ]
    listed += [IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm]
    if len(listed) > PDF_MAX_OBJECTS:
        raise _TooComplex(f"{len(listed)} objects")
    stack: list = [reader.trailer]
    while stack or listed:
        if deadline is not None and time.monotonic() > deadline:
            raise _TooComplex("out of time")
        obj = stack.pop() if stack else reader.get_object(listed.pop())
        if isinstance(obj, DictionaryObject):  # streams too: their dictionary
            for key, value in dict.items(obj):
                if verdict := _active_name(key):
                    return verdict
                if key == "/OpenAction" and not _goes_to_a_page(value):
                    return "script"
                if not _is_reference(value):
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(
                item for item in list.__iter__(obj) if not isinstance(item, IndirectObject)
            )
        elif isinstance(obj, NameObject) and (verdict := _active_name(obj)):
            return verdict
    return None


def _is_reference(value) -> bool:
    from pypdf.generic import IndirectObject  # pypdf loads only when a PDF comes in

    return isinstance(value, IndirectObject)


def _resolve(dictionary, key):
    from pypdf.generic import IndirectObject  # pypdf loads only when a PDF comes in

    value = dict.get(dictionary, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _active_name(name) -> str | None:
    if name in PDF_SCRIPT_NAMES:
        return "script"
    if name in PDF_ATTACHMENT_NAMES:
        return "attachment"
    return None


def _goes_to_a_page(action) -> bool:
    """An /OpenAction that only opens the document at a page: a destination (an array, or a
    named destination) or a plain /GoTo action with nothing chained after it."""
    from pypdf.generic import (  # pypdf loads only when a PDF comes in
        ArrayObject,
        DictionaryObject,
        IndirectObject,
    )

    action = action.get_object() if isinstance(action, IndirectObject) else action
    if isinstance(action, ArrayObject | str | bytes):  # names and strings: named destinations
        return True
    return (
        isinstance(action, DictionaryObject)
        and dict.get(action, "/S") == "/GoTo"
        and "/Next" not in action
    )


def pdf_raw_active_content(data: bytes) -> str | None:
    """The second line of defence: dangerous names anywhere in the raw bytes, even in
    objects the cross-reference table does not list."""
    for match in _RAW_NAME.finditer(data):
        name = _RAW_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[1])
        if name == b"JS":
            if _RAW_JS_VALUE.match(data, match.end()):
                return "script"
        elif verdict := _RAW_TOKENS.get(name):
            return verdict
    return None
