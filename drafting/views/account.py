"""A person's own settings: personal API tokens for scripts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from drafting.models import ApiToken
from drafting.services import DomainError
from drafting.services.tokens import create_token, revoke_token


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List your tokens; create one (shown once, on this response only) or revoke one."""
    context: dict = {"new_token": None, "error": None, "name": ""}
    status = 200
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                try:
                    pk = int(request.POST["revoke"])
                except ValueError:
                    raise DomainError(gettext("No such token."), status=404) from None
                revoke_token(request.user, pk)
                return redirect("api_tokens")
            record, token = create_token(request.user, request.POST.get("name", ""))
            context["new_token"] = {"record": record, "token": token}
        except DomainError as problem:
            context.update(error=problem.message, name=request.POST.get("name", ""))
            status = problem.status
    context["tokens"] = ApiToken.objects.filter(user=request.user)
    response = render(request, "drafting/api_tokens.html", context, status=status)
    # The page may show a token once: never keep it in a cache.
    response["Cache-Control"] = "no-store"
    return response


class Login(LoginView):
    """Django's login page, landing where the person's role starts its day (views.home) unless
    the page asked to come back to is a document; the demo's logins mentioned only on a demo."""

    def get_redirect_url(self) -> str:
        target = super().get_redirect_url()
        # "/" is the library's front page: a delegate's day starts on the group's draft, not there.
        return "" if target in ("/", "/home/") else target

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_loaded()
        return context


def demo_loaded() -> bool:
    """Whether this installation runs the demo (DEBUG, or the demo's officer is there, with the
    address load_demo gives it): production shows no demo hints."""
    from django.conf import settings
    from django.contrib.auth.models import User

    return (
        settings.DEBUG
        or User.objects.filter(username="secretariat", email="secretariat@example.org").exists()
    )
