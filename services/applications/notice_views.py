"""The public pages of the notices (公示) of approved beneficiaries: the notices in their
period, and each notice's list. No login. A notice not yet started, ended or withdrawn is not
listed and its page is a 404, so the names leave the site when the period ends. The pages
carry only the masked name, the employer and the amount (frozen when the notice was made),
and tell browsers, proxies and search engines not to keep them."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from config.pagecache import keep_until, live_page
from services.applications.models import PublicNotice


def _not_kept(response):
    # Revalidated on every view: a withdrawn notice must not live on in a cache, and a
    # search engine must not keep a copy after the period.
    patch_cache_control(response, no_cache=True)
    response["X-Robots-Tag"] = "noindex, noarchive"
    return response


@login_not_required
@require_safe
@live_page("notices")
def notice_list(request):
    notices = list(
        PublicNotice.objects.current()
        .select_related("program")
        .annotate(entry_count=Count("entries"))
        .order_by("ends_at", "pk")
    )
    response = render(request, "applications/notice_list.html", {"notices": notices})
    return keep_until(_not_kept(response), [notice.ends_at for notice in notices])


@login_not_required
@require_safe
@live_page("notices")
def notice_detail(request, pk: int):
    notice = get_object_or_404(PublicNotice.objects.current().select_related("program"), pk=pk)
    entries = list(notice.entries.only("order", "masked_name", "employer", "amount", "notice_id"))
    response = render(
        request, "applications/notice_detail.html", {"notice": notice, "entries": entries}
    )
    return keep_until(_not_kept(response), [notice.ends_at])
