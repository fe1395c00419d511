"""Public program pages and the worker's applications ("我的申请")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from services.applications import selectors, services, workflow
from services.applications.forms import AttachmentForm
from services.applications.models import Application, Attachment, Program
from services.applications.presentation import describe_program
from services.applications.registry import apply_url_name
from services.applications.workflow import Role, Status
from services.members.selectors import member_of


def _my_application(request, pk) -> Application:
    member = member_of(request.user)
    if member is None:
        raise Http404
    return get_object_or_404(
        Application.objects.select_related("program").filter(applicant=member), pk=pk
    )


@login_not_required
@require_safe
def program_list(request):
    programs = list(selectors.open_programs())
    for program in programs:
        program.availability = selectors.program_availability(program=program)
        program.facts = describe_program(program)
        url_name = apply_url_name(program.kind)
        program.apply_url = reverse(url_name, args=[program.pk]) if url_name else None
    return render(request, "applications/program_list.html", {"programs": programs})


@login_not_required
@require_safe
def program_detail(request, pk: int):
    program = get_object_or_404(Program, pk=pk)
    url_name = apply_url_name(program.kind)
    return render(
        request,
        "applications/program_detail.html",
        {
            "program": program,
            "facts": describe_program(program),
            "availability": selectors.program_availability(program=program),
            "apply_url": reverse(url_name, args=[program.pk]) if url_name else None,
        },
    )


@never_cache
def application_list(request):
    member = member_of(request.user)
    if member is None:
        raise Http404
    return render(
        request,
        "applications/application_list.html",
        {"applications": member.applications.select_related("program")},
    )


def _render_detail(request, application, form, status=200):
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "changes": application.changes.select_related("actor"),
            "attachments": application.attachments.all(),
            "editable": application.status in workflow.EDITABLE,
            "can_withdraw": Role.APPLICANT
            in workflow.allowed(
                application.program.workflow_kind, application.status, Status.WITHDRAWN
            ),
            "form": form,
        },
        status=status,
    )


@never_cache
def application_detail(request, pk: int):
    return _render_detail(request, _my_application(request, pk), AttachmentForm())


@require_POST
def attachment_upload(request, pk: int):
    application = _my_application(request, pk)
    if application.status not in workflow.EDITABLE:
        messages.error(request, _("申请已提交，现在不能再上传材料。"))
        return redirect("applications:detail", pk=pk)
    limit = _upload_limit()
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 65536:
        # Refused before the body is read: a 50 MB file is not streamed to disk first.
        return HttpResponse(_("文件太大，每个文件不能超过 10 MB。"), status=413)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                application=application,
                member=application.applicant,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("材料已上传。"))
            return redirect("applications:detail", pk=pk)
    return _render_detail(request, application, form, status=400)


def _upload_limit() -> int:
    from django.conf import settings

    return settings.PORTAL_UPLOAD_MAX_BYTES


@require_POST
def application_submit(request, pk: int):
    return _applicant_move(request, pk, Status.SUBMITTED, _("申请已提交。"))


@require_POST
def application_withdraw(request, pk: int):
    return _applicant_move(request, pk, Status.WITHDRAWN, _("申请已撤回。"))


def _applicant_move(request, pk, to, done):
    application = _my_application(request, pk)
    decision = services.application_transition(
        application=application,
        actor=request.user,
        move=services.Move(to, Role.APPLICANT, note=request.POST.get("note", "")),
    )
    if decision:
        messages.success(request, done)
    else:
        messages.error(request, decision.reason)
    return redirect("applications:detail", pk=pk)


@never_cache
def attachment_download(request, pk: int, attachment_pk: int):
    application = _my_application(request, pk)
    return serve_attachment(get_object_or_404(application.attachments, pk=attachment_pk))


def serve_attachment(attachment: Attachment):
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def inbox(request):
    notifications = request.user.notifications.select_related("application")[:100]
    response = render(request, "applications/inbox.html", {"notifications": notifications})
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return response


def staff_attachment_download(request, attachment_pk: int):
    """For the admin: the proof, if the staff member may see its application."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("application"), pk=attachment_pk
    )
    visible = selectors.applications_visible_to(request.user).filter(pk=attachment.application_id)
    if not request.user.has_perm("applications.view_application") or not visible.exists():
        raise Http404
    return serve_attachment(attachment)
