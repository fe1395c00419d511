"""Admin building blocks shared by the programs' admin pages."""

from django.contrib import admin
from django.http import Http404


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit and history rows: nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class StreetScopedAdmin(admin.ModelAdmin):
    """Limits every view (list, change, search, autocomplete) to the staff member's street.

    ``visible_to`` is the selector that gives the rows a user may see; an object outside it
    does not exist for that user (404).
    """

    visible_to = None

    def get_queryset(self, request):
        return type(self).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj
