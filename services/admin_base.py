"""Admin building blocks shared by every app's admin pages."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ReadOnlyMixin:
    """Nobody adds, edits or deletes these rows by hand (audit and history rows, records that
    change only through services). For a ModelAdmin or an inline alike: a read-only page has
    no save buttons and a read-only inline no "add another" link. Their rows' pages on the
    site are the worker's own (404 for staff): no "view on site" link."""

    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or super().get_readonly_fields(request, obj)


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class OfferedFiltersOnly:
    """A list is filtered by the filters it offers and by nothing else. Django lets a list be
    filtered by any field of its own model through the address (``?mobile__startswith=1507``),
    which would turn a list into an oracle for a number staff see only masked; here any other
    parameter is refused (a 400) before the list is read."""

    def _offered_filters(self, request) -> list[str]:
        offered = []
        for entry in self.get_list_filter(request):
            if isinstance(entry, str):
                offered.append(entry)
            elif isinstance(entry, (tuple, list)):
                offered.append(str(entry[0]))
            elif getattr(entry, "parameter_name", None):
                offered.append(entry.parameter_name)
        if self.date_hierarchy:
            offered.append(self.date_hierarchy)
        return offered

    def changelist_view(self, request, extra_context=None):
        # Django sends a filter value it cannot read (a date typed by hand, ?street__id__exact=x)
        # back to the whole list with ?e=1 and says nothing: say it, next to the list.
        if request.method == "GET" and request.GET.get(ERROR_FLAG) == "1":
            messages.warning(
                request, _("筛选条件有误（如日期或编号格式不对），下面是未筛选的列表。")
            )
        return super().changelist_view(request, extra_context)

    def lookup_allowed(self, lookup, value, request=None):
        if not any(
            lookup == name or lookup.startswith(f"{name}__")
            for name in self._offered_filters(request)
        ):
            return False
        return super().lookup_allowed(lookup, value, request)


class LargeListPaginator(Paginator):
    """Counting 200,000 rows exactly on every view of a list costs more than drawing the page.
    On PostgreSQL, a list the planner expects to hold more than ``ESTIMATE_ABOVE`` rows is
    counted by the planner's estimate (EXPLAIN, no scan); a smaller one, exactly. The admin
    shows the count as it is given (约 for an estimate is not needed: the last pages are
    reached through the filters, not by paging to the end)."""

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[getattr(queryset, "db", "default")]
        if connection.vendor == "postgresql" and hasattr(queryset, "query"):
            try:
                sql, params = queryset.query.sql_with_params()
            except EmptyResultSet:  # a list that can hold nothing (a scope with no street)
                return 0
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            if estimate > self.ESTIMATE_ABOVE:
                return estimate
        return super().count

    def page(self, number):
        """A page far into the list: its ids first, through the ordering's index alone, then
        those rows with their joins; an OFFSET over the joined rows reads every skipped row's
        member, program and street too (page 200: 130 ms → a few)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        if bottom < self.per_page * 4 or not hasattr(queryset, "values_list"):
            return super().page(number)
        ids = list(queryset.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class LargeListAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    """A staff list that may hold hundreds of thousands of rows: no second count of the whole
    table, the planner's estimate of a large count, and pages of 50 rows (a page is read on a
    phone as often as on a desk)."""

    paginator = LargeListPaginator
    show_full_result_count = False
    list_per_page = 50


class ReadOnlyAdmin(ReadOnlyMixin, LargeListAdmin):
    pass


class StreetScopedAdmin(LargeListAdmin):
    """Limits every view (list, change, search, autocomplete) to the staff member's street.

    ``visible_to`` is the selector that gives the rows a user may see; it fails closed (a
    street reviewer with no street sees nothing). An object outside it does not exist for
    that user (404).
    """

    visible_to = None

    def get_queryset(self, request):
        return type(self).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


def _valid_ids(values) -> list:
    return [v for v in values if str(v).isdigit() and len(str(v)) <= 18]


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks up whatever value was posted when it redraws a form
    with errors, and fails on one that is not an id ("%", "1e5"); this one looks up ids only."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_ids(value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_ids(value), attr)


class SafeAutocompleteMixin:
    """For every ModelAdmin with ``autocomplete_fields``: the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StepDecisionForm(forms.Form):
    """A member of staff takes one of the workflow steps offered to them, with a note (required
    by the steps that say so, which the engine checks)."""

    step = forms.ChoiceField(label=gettext_lazy("办理结果"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, steps, note_help="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(row.name, row.label) for row, _role in steps]
        self.fields["note"].help_text = note_help


class StepDecisionMixin:
    """For the admin of a model on the workflow engine: a page (``<pk>/decide/``, URL name
    ``<app>_<model>_decide``) where staff take one of the steps the workflow table offers their
    role, with a note. ``decide`` takes the step (through the app's service); the model admin
    names the title, the note's help text, the template and what to say when it is done."""

    decide_title = ""
    decide_note_help = ""
    decide_template = ""
    decide_done = gettext_lazy("已办理。")
    # A subclass of StepDecisionForm with the facts some steps take (a visit's date, a tier);
    # its cleaned data reaches the step's effects as ``context.data``.
    decide_form = None

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", wrap(self.decide_view), name="{}_{}_decide".format(*info)),
            *super().get_urls(),
        ]

    def decide(self, request, obj, step: str, note: str, data=None):
        from services.applications.engine import application_transition

        return application_transition(
            application=obj, actor=request.user, step=step, note=note, data=data
        )

    def decide_view(self, request, pk):
        from services.applications.engine import steps_for

        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        steps = steps_for(request.user, obj)
        if not steps:
            self.message_user(request, _("这一项现在没有您可以办理的步骤。"), messages.WARNING)
            return redirect(change, pk)
        form_class = self.decide_form or StepDecisionForm
        form = form_class(request.POST or None, steps=steps, note_help=self.decide_note_help)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            decision = self.decide(request, obj, data["step"], data["note"], data=data)
            if decision:
                self.message_user(request, self.decide_done)
                return redirect(change, pk)
            field = decision.code if decision.code in form.fields else None
            form.add_error("note" if decision.code == "note_required" else field, decision.reason)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "original": obj,
            "title": self.decide_title, "form": form,
        }  # fmt: skip
        return TemplateResponse(request, self.decide_template, context)
