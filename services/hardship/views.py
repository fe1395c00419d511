"""The worker's side of hardship help (我的帮扶): ask for help and follow the request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from services.applications.engine import history
from services.hardship import services
from services.hardship.forms import HelpForm
from services.members.selectors import member_of


def _member(request):
    member = member_of(request.user)
    if member is None:
        raise Http404
    return member


@never_cache
@sensitive_post_parameters("situation", "income_per_head")
def mine(request):
    member = _member(request)
    can_request = services.help_can_request(member=member)
    form = HelpForm(request.POST if can_request and request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services.help_request_create(
                    member=member, data=form.cleaned_data, actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("帮扶申请已提交。街道工会会联系您，上门了解情况。"))
                return redirect("hardship:mine")
        status = 400
    requests = list(member.help_requests.order_by("-created_at"))
    for help_request in requests:
        help_request.events = history(help_request)
    context = {"form": form, "can_request": can_request, "requests": requests}
    return render(request, "hardship/mine.html", context, status=status)


@login_not_required
@require_safe
def program(request, pk: int):
    """A campaign's "apply" page: workers ask for help on 我的帮扶."""
    return redirect("hardship:mine")


@require_POST
def withdraw(request, pk: int):
    member = _member(request)
    help_request = get_object_or_404(member.help_requests, pk=pk)
    decision = services.help_request_withdraw(request=help_request, actor=request.user)
    if decision:
        messages.success(request, _("已撤回帮扶申请。"))
    else:
        messages.error(request, _("这份申请已经在办理，不能撤回；如需撤回请联系街道工会。"))
    return redirect("hardship:mine")
