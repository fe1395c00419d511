"""我的证书 (/me/certificates/): the worker's skill certificates, uploaded once and verified by
staff, and the form to add one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

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
                form.add_error(
                    "certificate_number" if error.code == "number_taken" else "file", error
                )
            else:
                messages.success(request, _("证书已上传。工作人员核验后会通知您。"))
                return redirect("members:certificates")
        status = 400
    held = list(member.certificates.select_related("decided_by"))
    for certificate in held:
        certificate.events = history(certificate)
    return render(
        request, "members/certificates.html", {"form": form, "certificates": held}, status=status
    )


@never_cache
def certificate_file(request, pk: int):
    member = _member_or_404(request)
    return serve_attachment(get_object_or_404(member.certificates, pk=pk))
