"""Public program pages and the worker's applications ("我的申请")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from config.pagecache import keep_until, live_page
from services.applications import engine, ledger, selectors, services
from services.applications.forms import AttachmentForm
from services.applications.models import Application, Attachment, PublicNotice
from services.applications.presentation import apply_url, describe_program
from services.members.audit import Action, audit_request
from services.members.net import client_ip
from services.members.selectors import member_of


def _my_application(request, pk) -> Application:
    member = member_of(request.user)
    if member is None:
        raise Http404
    return get_object_or_404(
        Application.objects.select_related("program", "applicant").filter(applicant=member),
        pk=pk,
    )


@login_not_required
@require_safe
@live_page("programs", "notices")
def program_list(request):
    programs = selectors.listed_programs()
    for program in programs:
        program.availability = selectors.program_availability(program=program)
        program.facts = describe_program(program)
        program.apply_url = apply_url(program)
    response = render(
        request,
        "applications/program_list.html",
        {"programs": programs, "notices_current": PublicNotice.objects.current().exists()},
    )
    return keep_until(response, [m for p in programs for m in (p.opens_at, p.closes_at)])


@login_not_required
@require_safe
@live_page("programs")
def program_detail(request, pk: int):
    program = next((p for p in selectors.open_programs() if p.pk == pk), None)
    if program is None:
        raise Http404
    response = render(
        request,
        "applications/program_detail.html",
        {
            "program": program,
            "facts": describe_program(program),
            "availability": selectors.program_availability(program=program),
            "apply_url": apply_url(program),
        },
    )
    return keep_until(response, [program.opens_at, program.closes_at])


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
    steps = {row.name: row for row, _role in engine.steps_for(request.user, application)}
    program_type = application.program.program_type
    attachments = list(application.attachments.all())
    on_record = program_type.proofs_on_record(application)
    for attachment in attachments:
        attachment.can_delete = services.attachment_can_delete(
            attachment=attachment, actor=request.user
        )
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "details": program_type.details(application),
            "changes": engine.history(application),
            "attachments": attachments,
            "required_proofs": [
                program_type.proof_label(k)
                for k in application.program.required_proofs
                if k not in on_record
            ],
            "proofs_on_record": [program_type.proof_label(k) for k in sorted(on_record)],
            "editable": application.status in application.workflow.editable,
            "submit_step": steps.get("submit") or steps.get("resubmit"),
            "can_withdraw": "withdraw" in steps,
            "edit_url": (
                apply_url(application.program, application=application)
                if application.status == application.workflow.initial
                else None
            ),
            "entry": ledger.entry_for(application),
            "form": form,
        },
        status=status,
    )


@never_cache
def application_detail(request, pk: int):
    application = _my_application(request, pk)
    return _render_detail(request, application, AttachmentForm(application=application))


@require_POST
def attachment_upload(request, pk: int):
    application = _my_application(request, pk)
    if application.status not in application.workflow.editable:
        messages.error(request, _("申请已提交，现在不能再上传材料。"))
        return redirect("applications:detail", pk=pk)
    form = AttachmentForm(request.POST, request.FILES, application=application)
    if form.is_valid():
        try:
            services.attachment_add(
                application=application,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file" if error.code != "kind" else "kind", error)
        else:
            messages.success(request, _("材料已上传。"))
            return redirect("applications:detail", pk=pk)
    return _render_detail(request, application, form, status=400)


@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    application = _my_application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("材料“%(name)s”已删除。") % {"name": attachment.original_name})
    return redirect("applications:detail", pk=pk)


@require_POST
def application_submit(request, pk: int):
    application = _my_application(request, pk)
    step = "resubmit" if application.status == "needs_info" else "submit"
    decision = services.application_transition(
        application=application, actor=request.user, step=step
    )
    if decision:
        messages.success(request, _("申请已提交。"))
    else:
        messages.error(request, decision.reason)
    return redirect("applications:detail", pk=pk)


@never_cache
def application_withdraw(request, pk: int):
    """GET asks the worker to confirm; POST withdraws."""
    application = _my_application(request, pk)
    if request.method == "POST":
        decision = services.application_transition(
            application=application, actor=request.user, step="withdraw",
            note=request.POST.get("note", ""),
        )  # fmt: skip
        if decision:
            messages.success(request, _("申请已撤回。"))
        else:
            messages.error(request, decision.reason)
        return redirect("applications:detail", pk=pk)
    if "withdraw" not in {row.name for row, _role in engine.steps_for(request.user, application)}:
        messages.info(request, _("这份申请现在不能撤回。"))
        return redirect("applications:detail", pk=pk)
    return render(request, "applications/application_withdraw.html", {"application": application})


@never_cache
def attachment_download(request, pk: int, attachment_pk: int):
    application = _my_application(request, pk)
    return serve_attachment(get_object_or_404(application.attachments, pk=attachment_pk))


def serve_attachment(attachment: Attachment):
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def inbox(request):
    notifications = list(request.user.notifications.all()[:100])
    response = render(request, "applications/inbox.html", {"notifications": notifications})
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return response


def staff_attachment_download(request, attachment_pk: int):
    """For the admin: the proof, if the staff member may see its application."""
    if not request.user.has_perm("applications.view_application"):
        raise PermissionDenied
    attachment = get_object_or_404(
        selectors.attachments_visible_to(request.user).select_related("application__program"),
        pk=attachment_pk,
    )
    program_type = attachment.application.program.program_type
    subject = f"{attachment.application.reference} {attachment.original_name}"
    if program_type is not None and program_type.medical:
        services.medical_view(
            actor=request.user, member=attachment.application.applicant,
            ip_address=client_ip(request), subject=subject,
        )  # fmt: skip
    else:
        audit_request(
            request, Action.PROOF, member=attachment.application.applicant, obj=attachment,
            subject=subject,
        )  # fmt: skip
    return serve_attachment(attachment)
