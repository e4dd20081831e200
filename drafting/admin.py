"""The admin site: the secretariat's back office for bodies, conferences and groups."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from drafting.models import (
    Body,
    Conference,
    Contribution,
    MembershipChange,
    Profile,
    RegionalGroup,
    Registration,
    Resolution,
)


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "sort_order"]


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "body", "place", "year", "proposal_deadline"]
    list_filter = ["body"]


@admin.register(RegionalGroup)
class RegionalGroupAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "proposal_prefix", "is_member_state"]
    filter_horizontal = ["members"]


@admin.register(Resolution)
class ResolutionAdmin(SimpleHistoryAdmin):
    list_display = ["body", "number", "title"]
    list_filter = ["body"]
    search_fields = ["number", "title"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "conference", "status", "updated_at"]
    list_filter = ["conference", "group", "status"]
    readonly_fields = ["version", "submitted_at", "submitted_by"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "administration", "email_notifications", "oidc_subject", "invited_at"]
    search_fields = ["user__username", "user__email", "administration"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "conference", "role", "group", "administration"]
    list_filter = ["conference", "role", "group"]
    search_fields = ["user__username", "user__email"]


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    """The record of who changed a group's members: read only, as a record is."""

    list_display = ["at", "group", "member", "action", "actor", "via"]
    list_filter = ["group", "action", "via"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
