"""The admin site: the secretariat's back office for bodies, conferences and groups."""

from __future__ import annotations

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from drafting.models import (
    ApiToken,
    Body,
    Conference,
    Contribution,
    MembershipChange,
    Profile,
    RegionalGroup,
    Registration,
    Resolution,
)
from drafting.services.tokens import end_all_tokens


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """People's API tokens, for the secretariat to end: never their secret, only its first characters."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at", "revoked_reason"]
    list_filter = ["revoked_reason"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_reason",
    ]
    actions = ["end_every_token_of_their_owners"]

    def has_add_permission(self, request) -> bool:
        return False  # a token is made by its owner, who alone sees it once

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # ended, not deleted: the list says when and why

    @admin.action(description="End every token of these tokens' owners (a leaked token may have made others)")
    def end_every_token_of_their_owners(self, request, queryset) -> None:
        from django.contrib.auth import get_user_model

        owners = get_user_model().objects.filter(pk__in=queryset.values("user"))
        ended = sum(end_all_tokens(owner, ApiToken.BY_SECRETARIAT) for owner in owners)
        self.message_user(request, f"{ended} token(s) of {len(owners)} person(s) ended.", messages.SUCCESS)
