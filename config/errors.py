"""The portal's own error pages, in Chinese with the English switch and a way back, for the
public pages and the admin alike (Django's handlers, the CSRF failure view and the
middleware below all render ``errors/error.html``)."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponseRedirect
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PAGES = {
    400: (
        _("请求有误"),
        _("页面收到的内容无法处理（可能含有不允许的字符，或内容过长）。请返回上一页检查后重试。"),
    ),
    403: (_("没有权限"), _("您没有访问这个页面的权限。如果您认为这是错误，请联系区总工会。")),
    404: (_("页面不存在"), _("您要找的页面不存在或尚未发布。")),
    405: (
        _("不能这样打开这个地址"),
        _("这个地址只接受页面上按钮提交的操作。请回到相关页面，用页面上的按钮操作。"),
    ),
    413: (
        _("文件或内容太大"),
        _("提交的内容太大：上传的每个文件不能超过 %(limit)s MB。请压缩文件或拍得小一些再上传。"),
    ),
    "csrf": (
        _("页面已过期"),
        _("为了安全，页面在打开太久或在其他窗口退出登录后会失效。请返回上一页，刷新后再提交一次。"),
    ),
}


def render_error(request, status, *, code=None):
    title, text = PAGES[code or status]
    text = str(text) % {"limit": settings.PORTAL_UPLOAD_MAX_BYTES // 1_048_576}
    in_admin = request.path.startswith("/admin/")
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "text": text, "in_admin": in_admin},
        status=status,
    )


def bad_request(request, exception=None):
    return render_error(request, 400)


def permission_denied(request, exception=None):
    return render_error(request, 403)


def page_not_found(request, exception=None):
    return render_error(request, 404)


def csrf_failure(request, reason=""):
    return render_error(request, 403, code="csrf")


def _has_nul(request) -> bool:
    """A NUL byte anywhere a view could read it: the path, a query parameter, a form field
    (names included). No field of the portal may hold one, and PostgreSQL refuses them."""
    if "\x00" in request.path:
        return True
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class ErrorPagesMiddleware:
    """Bodies too large are refused before anything reads them (413); a NUL byte anywhere in
    the request is a bad request (400); an address that takes only POST, opened with GET,
    leads back to the page it belongs to; other 405s get the portal's page instead of an
    empty one."""

    # Room for the other fields of an upload form beside the file itself.
    OVERHEAD = 256 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return render_error(request, 400)
        if length > settings.PORTAL_UPLOAD_MAX_BYTES + self.OVERHEAD:
            return render_error(request, 413)
        try:
            if _has_nul(request):
                return render_error(request, 400)
        except RequestDataTooBig:
            return render_error(request, 413)
        except (SuspiciousOperation, MultiPartParserError, UnicodeDecodeError):
            return render_error(request, 400)
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "portal_page", False):
            if request.method in ("GET", "HEAD"):
                parent = self._parent(request.path_info)
                if parent is not None:
                    return HttpResponseRedirect(
                        request.path[: len(request.path) - len(request.path_info)] + parent
                    )
            rendered = render_error(request, 405)
            rendered["Allow"] = response.get("Allow", "")
            return rendered
        return response

    def process_exception(self, request, exception):
        """A number too large for the database (an id of 30 digits) is bad input."""
        if isinstance(exception, OverflowError):
            return render_error(request, 400)
        return None

    @staticmethod
    def _parent(path: str) -> str | None:
        """The page an action address belongs to: /me/applications/5/submit/ → …/5/."""
        trimmed = path.rstrip("/")
        while "/" in trimmed:
            trimmed = trimmed.rsplit("/", 1)[0]
            candidate = f"{trimmed}/" if trimmed else "/"
            try:
                match = resolve(candidate)
            except Resolver404:
                continue
            return candidate if match else None
        return None
