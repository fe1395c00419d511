"""Reads about hardship help, scoped to the staff member's street (failing closed)."""

from django.utils import timezone

from services.hardship.models import FileStatus, HardshipFile, HelpRequest
from services.members.selectors import staff_scope


def requests_visible_to(user):
    return staff_scope(user).filter(
        HelpRequest.objects.select_related("member", "street", "filed_by_staff")
    )


def files_visible_to(user):
    return staff_scope(user).filter(HardshipFile.objects.select_related("member", "street"))


def files_due_for_review(user, today=None):
    today = today or timezone.localdate()
    return files_visible_to(user).filter(status=FileStatus.ACTIVE, review_due_on__lte=today)
