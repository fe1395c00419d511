"""我的 (/me/): the worker's record, consents, joining the union, closing the account.

Every page here shows personal data and is sent with Cache-Control: no-store.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from config.pagecache import public_page
from services.applications.engine import history
from services.members import selectors, services
from services.members.forms import ClosureForm, JoinRequestForm

SENSITIVE = ("password1", "password2", "password", "id_number", "code", "mobile", "new_mobile")


def _member_or_404(request):
    member = selectors.member_of(request.user)
    if member is None:
        raise Http404
    return member


@login_not_required
@require_safe
@public_page()
def privacy_notice(request):
    keep = {
        "closed": settings.PORTAL_KEEP_CLOSED_APPLICATION_DAYS,
        "drafts": settings.PORTAL_KEEP_DRAFT_UPLOAD_DAYS,
        "notices": settings.PORTAL_KEEP_NOTICE_DAYS,
        "logins": settings.PORTAL_KEEP_LOGIN_RECORD_DAYS,
    }
    context = {"privacy_contact": settings.PORTAL_PRIVACY_CONTACT, "keep": keep}
    return render(request, "members/privacy_notice.html", context)


@never_cache
def profile(request):
    member = _member_or_404(request)
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "join_requests": member.join_requests.select_related("grassroots_union"),
            "can_join": services.join_request_can_submit(member=member),
        },
    )


@never_cache
def consents(request):
    _member_or_404(request)
    return render(
        request,
        "members/consents.html",
        {
            "consents": request.user.consents.select_related("recorded_by"),
            "has_consent": selectors.current_consent(request.user) is not None,
        },
    )


@never_cache
def consent_renew(request):
    _member_or_404(request)
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    if request.method == "POST":
        if request.POST.get("consent") == "on":
            services.consent_grant(user=request.user)
            return redirect(next_url or "members:profile")
        messages.error(request, _("必须单独勾选同意，才能继续使用服务。"))
    return render(request, "members/consent_renew.html", {"next": next_url})


@require_POST
def consent_withdraw(request):
    _member_or_404(request)
    services.consent_withdraw(user=request.user)
    messages.info(request, _("您已撤回同意。继续使用服务前，需要重新同意。"))
    return redirect("members:consents")


@never_cache
def join_create(request):
    member = _member_or_404(request)
    decision = services.join_request_can_submit(member=member)
    if not decision:
        messages.info(request, decision.reason)
        return redirect("members:profile")
    form = JoinRequestForm(
        request.POST or None,
        initial={
            "street": member.street_id,
            "employment_form": member.employment_form,
            "employer_text": member.employer_display,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            join_request = services.join_request_submit(
                member=member,
                actor=request.user,
                street=data["street"],
                grassroots_union=data["grassroots_union"],
                employment_form=data["employment_form"],
                employer_text=data["employer_text"],
            )
        except ValidationError as error:  # a double click: the first one was saved
            messages.info(request, error.messages[0])
            return redirect("members:profile")
        messages.success(request, _("入会申请已提交，街道工会审核后会短信通知您。"))
        return redirect("members:join_detail", pk=join_request.pk)
    return render(request, "members/join_form.html", {"form": form})


@never_cache
def join_detail(request, pk: int):
    member = _member_or_404(request)
    join_request = get_object_or_404(member.join_requests.select_related("street"), pk=pk)
    return render(
        request,
        "members/join_detail.html",
        {"join_request": join_request, "events": history(join_request)},
    )


@never_cache
def join_withdraw(request, pk: int):
    """GET asks the worker to confirm; POST withdraws."""
    member = _member_or_404(request)
    join_request = get_object_or_404(member.join_requests, pk=pk)
    if request.method != "POST":
        if join_request.status != "submitted":
            return redirect("members:join_detail", pk=pk)
        return render(request, "members/join_withdraw.html", {"join_request": join_request})
    decision = services.join_request_withdraw(join_request=join_request, actor=request.user)
    if decision:
        messages.info(request, _("入会申请已撤回。"))
    else:
        messages.error(request, decision.reason)
    return redirect("members:join_detail", pk=pk)


@never_cache
def closure_request(request):
    """The worker asks to close the account; a system administrator completes it."""
    member = _member_or_404(request)
    latest = member.closure_requests.first()
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and "withdraw" in request.POST and latest:
        decision = services.closure_withdraw(closure=latest, actor=request.user)
        (messages.info if decision else messages.error)(
            request, _("注销申请已撤回。") if decision else decision.reason
        )
        return redirect("members:closure")
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_request_submit(
                member=member, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, _("注销申请已提交。区总工会办理后会短信通知您。"))
        return redirect("members:closure")
    return render(
        request,
        "members/closure.html",
        {
            "form": form,
            "latest": latest,
            "can_request": services.closure_can_request(member=member),
            "changes": history(latest) if latest else [],
        },
    )
