"""Searching the admin by a full ID number or a full mobile number.

Pages show these numbers masked (330***********123X, 138****5678). A search by the full
number would undo the mask: from the masked number and the birth date a few candidates are
enough to learn the whole number. So a full number typed into any changelist's search box is
handled here, before the changelist sees it:

- staff without ``members.reveal_member_pii`` are told to search by name or by the masked
  number, and nothing is searched;
- staff with it get the result, and the search is written to the reveal log (one row per
  member found, or one row saying nothing was found), like a reveal;
- either way the number leaves the address at once: the browser is redirected to a
  one-time token kept in the session, so the number stays in no address, page or history.

``pii_search_path`` is the way from the admin's model to the ``Member`` ("" for members,
"applicant__" for applications, "member__" for join requests).

Every other search is read by its shape and looked up through one index, so that a search in
200,000 members takes milliseconds (the admin's default ORs a LIKE '%…%' over every search
field, which no index serves):

- a masked ID number (330***********123X, or with any number of stars) → the masked column;
- a masked mobile (138****5678) → the mobile's first three and last four digits;
- a membership number (QT2026000123) → that number;
- a reference (QT-CMK-2026-000123), where the list has one (``reference_search_path``);
- anything else → names that start with it (王建国 finds 王建国 and 王建国华).
"""

import re
import secrets
import unicodedata

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.members.models import AuditEvent
from services.members.pii import blind_index
from services.members.validators import normalise

FULL_ID = re.compile(r"^\d{17}[\dX]$")
FULL_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
# More digits in a row than a mask shows (330***********123X, 138****5678): part of a number,
# which would narrow the candidates as well as the whole of it.
LONG_DIGITS = re.compile(r"\d{8,}")
MASKED_MOBILE = re.compile(r"^(1\d{2})\*{4}(\d{4})$")
MASKED_ID = re.compile(r"^(\d{3})\*+(\d{3}[\dX])$")
MEMBERSHIP_NUMBER = re.compile(r"^QT\d{10}$")
REFERENCE = re.compile(r"^QT-[A-Z0-9-]+-\d{4}-\d{6}$")
SESSION_KEY = "pii_search"


def classify(term: str) -> tuple[str, str] | None:
    """("id_number", blind index) or ("mobile", number) for a full number, ("partial", "")
    for part of one, else None."""
    value = normalise(term).replace("-", "")
    if FULL_ID.match(value):
        return "id_number", blind_index(value)
    if FULL_MOBILE.match(value):
        return "mobile", value[-11:]
    if LONG_DIGITS.search(value) and not value.startswith("QT"):
        return "partial", ""
    return None


class PiiSearchMixin:
    pii_search_path = ""
    reference_search_path = None
    search_help_text = gettext_lazy(
        "按姓名（开头几个字）、遮蔽后的身份证号（330***********123X）或手机号（138****5678）、"
        "会员号或申请编号查找。"
    )

    def changelist_view(self, request, extra_context=None):
        found = classify(request.GET.get("q", ""))
        query = request.GET.copy()
        if found is not None:
            query.pop("q")
            if found[0] == "partial":
                messages.error(
                    request,
                    _("不能按号码的一部分查找。请按姓名、遮蔽后的号码或完整号码查找。"),
                )
                return redirect(f"{request.path}?{query.urlencode()}")
            if not request.user.has_perm("members.reveal_member_pii"):
                messages.error(
                    request,
                    _(
                        "按完整身份证号或手机号查找需要“查看完整身份证号”权限。"
                        "请按姓名或遮蔽后的号码（如 330***********123X）查找。"
                    ),
                )
                return redirect(f"{request.path}?{query.urlencode()}")
            token = secrets.token_urlsafe(12)
            searches = request.session.get(SESSION_KEY, {})
            searches = dict(list(searches.items())[-9:])  # keep the last few only
            searches[token] = list(found)
            request.session[SESSION_KEY] = searches
            self._log_search(request, *found)
            query["pii"] = token
            return redirect(f"{request.path}?{query.urlencode()}")
        if "pii" in request.GET:
            request.GET = query
            token = query.pop("pii")[0]
            request.pii_search = request.session.get(SESSION_KEY, {}).get(token)
            if request.pii_search is None:
                messages.info(request, _("这次查找已过期，请重新输入。"))
                return redirect(request.path)
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        found = getattr(request, "pii_search", None)
        if found:
            field, value = found
            lookup = "id_number_index" if field == "id_number" else "mobile"
            queryset = queryset.filter(**{f"{self.pii_search_path}{lookup}": value})
        term = normalise(search_term)
        if not term:
            return queryset, False
        person = self.pii_search_path
        masked = MASKED_MOBILE.match(term)
        if masked:
            # 138****5678 finds what the mask shows, and nothing more.
            path = f"{person}mobile"
            matches = queryset.filter(
                **{f"{path}__startswith": masked[1], f"{path}__endswith": masked[2]}
            )
            return matches, False
        masked = MASKED_ID.match(term.upper())
        if masked:
            shown = f"{masked[1]}{'*' * 11}{masked[2]}"
            return queryset.filter(**{f"{person}id_number_masked": shown}), False
        if MEMBERSHIP_NUMBER.match(term.upper()):
            return queryset.filter(**{f"{person}membership_number": term.upper()}), False
        if self.reference_search_path and REFERENCE.match(term.upper()):
            return queryset.filter(**{self.reference_search_path: term.upper()}), False
        name = unicodedata.normalize("NFKC", search_term).strip()
        return queryset.filter(**{f"{person}real_name__startswith": name}), False

    def _log_search(self, request, field, value):
        from services.members.net import client_ip
        from services.members.selectors import members_visible_to

        lookup = "id_number_index" if field == "id_number" else "mobile"
        members = list(members_visible_to(request.user).filter(**{lookup: value})[:20])
        address = client_ip(request)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    staff=request.user, member=m, action=f"{field}_search", ip_address=address
                )
                for m in members
            ]
            or [
                AuditEvent(
                    staff=request.user, member=None, action=f"{field}_search", ip_address=address
                )
            ]
        )
