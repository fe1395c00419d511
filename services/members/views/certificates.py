"""我的证书 (/me/certificates/): the worker's skill certificates, uploaded once and verified by
staff, and the form to add one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from services.applications.engine import history
from services.applications.views import serve_attachment
from services.members import certificates
from services.members.forms import CertificateForm
from services.members.views.me import _member_or_404


@never_cache
def certificate_list(request):
    member = _member_or_404(request)
    form = CertificateForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                certificates.certificate_upload(
                    member=member, actor=request.user, data=data, upload=data["file"]
                )
            except ValidationError as error:
                field = {"number_taken": "certificate_number", "not_member": None}
                form.add_error(field.get(error.code, "file"), error)
            else:
                messages.success(request, _("证书已上传。工作人员核验后会通知您。"))
                return redirect("members:certificates")
        status = 400
    held = list(member.certificates.exclude(status="withdrawn").select_related("decided_by"))
    for certificate in held:
        certificate.events = history(certificate)
    context = {
        "form": form, "certificates": held,
        "can_upload": certificates.certificate_can_upload(member),
    }  # fmt: skip
    return render(request, "members/certificates.html", context, status=status)


@require_POST
def certificate_withdraw(request, pk: int):
    member = _member_or_404(request)
    certificate = get_object_or_404(member.certificates, pk=pk)
    decision = certificates.certificate_withdraw(certificate=certificate, actor=request.user)
    if decision:
        messages.success(request, _("已撤回这份证书，证书编号可以重新上传。"))
    elif certificate.status == "verified":
        messages.error(request, _("这份证书已经核验，不能撤回。"))
    else:
        messages.info(request, _("这份证书现在是“%(status)s”，不用再撤回。")
                      % {"status": certificate.get_status_display()})  # fmt: skip
    return redirect("members:certificates")


@never_cache
def certificate_file(request, pk: int):
    member = _member_or_404(request)
    return serve_attachment(get_object_or_404(member.certificates, pk=pk))
