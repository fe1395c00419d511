"""Every admin list accepts in its address only the filters it offers: a filter on any other
field (``?mobile=…``, ``?mobile__startswith=…``) is refused, so a list is never an oracle for
what staff see only masked."""

from django.contrib import admin
from django.test import Client
from django.urls import reverse

from services.members.models import Member
from tests.conftest import login_staff
from tests.factories import StaffUserFactory
from tests.services.applications.conftest import make_eligible


def test_no_list_filters_by_a_field_it_does_not_offer(db, staff_groups):
    member = make_eligible(mobile="13966660001")
    client = login_staff(Client(), StaffUserFactory(is_superuser=True))
    open_lists = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        offered = {
            f if isinstance(f, str) else str(f[0]) if isinstance(f, tuple | list)
            else str(getattr(f, "parameter_name", ""))
            for f in model_admin.list_filter
        }  # fmt: skip
        for field in model._meta.concrete_fields:
            if field.name in offered or field.attname in offered:
                continue
            for lookup in (field.attname, f"{field.attname}__startswith"):
                response = client.get(url, {lookup: "1"})
                if response.status_code == 200 and "?e=1" not in response.get("Location", ""):
                    open_lists.append(f"{model._meta.label_lower}?{lookup}")
                break
    assert open_lists == [], open_lists
    members = reverse("admin:members_member_changelist")
    assert client.get(members, {"mobile": member.mobile}).status_code == 400
    assert client.get(members, {"mobile__startswith": "1396666"}).status_code == 400
    assert client.get(members, {"street__id__exact": member.street_id}).status_code == 200
    assert Member.objects.count() >= 1


def test_a_filter_value_the_list_cannot_read_is_said_beside_the_whole_list(db, staff_groups):
    """Django answers an unreadable value of an offered filter with the whole list (?e=1);
    every list then says so rather than looking filtered."""
    client = login_staff(Client(), StaffUserFactory(is_superuser=True))
    silent = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {"e": "1"})
        if response.status_code == 200 and "筛选条件有误" not in response.content.decode():
            silent.append(model._meta.label_lower)
    assert silent == []
    applications = reverse("admin:applications_application_changelist")
    response = client.get(applications, {"submitted_at__gte": "2026-13-45"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("?e=1")
    assert "筛选条件有误" in response.content.decode()
    assert "筛选条件有误" not in client.get(applications).content.decode()
