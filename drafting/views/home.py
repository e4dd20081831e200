"""Where a login lands: each role on the page its day starts with."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from drafting.models import Contribution
from drafting.permissions import is_secretariat


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The secretariat on consolidation; a delegate on the group's draft (or the list of drafts); others on the library."""
    user = request.user
    if is_secretariat(user):
        return redirect("consolidation_list")
    drafts = list(Contribution.objects.filter(group__members=user, status=Contribution.DRAFT)[:2])
    if len(drafts) == 1:
        return redirect(drafts[0])
    if user.regional_groups.exists():
        return redirect("contribution_list")
    return redirect("resolution_list")
