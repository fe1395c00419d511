"""Checking an uploaded proof by what it is, not what it is called.

Only PDF, JPEG and PNG are accepted, recognised by their magic bytes (``filetype``); images
must also open in Pillow within its decompression-bomb limit. The worker's file name is kept
only as cleaned-up data (no path, no control or direction characters, at most 100
characters); the file itself is stored under a random name. The SHA-256 lets staff see the
same file used on two applications.
"""

import hashlib
import os
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

ALLOWED = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


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
    if mime.startswith("image/"):
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(_("图片尺寸过大，无法处理。"), code="bomb") from error
        except Exception as error:  # Pillow raises many kinds for a broken image
            raise ValidationError(_("图片已损坏，无法打开。"), code="broken") from error
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return UploadFacts(mime, upload.size, digest.hexdigest(), clean_filename(upload.name))
