"""Admin building blocks shared by every app's admin pages."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.http import Http404


class ReadOnlyMixin:
    """Nobody adds, edits or deletes these rows by hand (audit and history rows, records that
    change only through services). For a ModelAdmin or an inline alike: a read-only page has
    no save buttons and a read-only inline no "add another" link."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or super().get_readonly_fields(request, obj)


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class StreetScopedAdmin(admin.ModelAdmin):
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
