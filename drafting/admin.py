"""The admin site: the secretariat's back office for bodies, conferences and groups."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from drafting.models import Body, Conference, Contribution, RegionalGroup, Resolution


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
