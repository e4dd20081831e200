"""Personal API tokens through the API: list yours, create one (shown once), revoke one."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.responses import Status

from drafting.api.drafting import AUTH, Problem, _fail, request_by_token
from drafting.models import ApiToken
from drafting.services import DomainError
from drafting.services.tokens import create_token, revoke_token

router = Router(auth=AUTH, tags=["tokens"])


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str


class NewToken(TokenOut):
    token: str


def _out(record: ApiToken) -> dict:
    return {
        "id": record.pk,
        "name": record.name,
        "prefix": record.prefix,
        "created_at": record.created_at,
        "last_used_at": record.last_used_at,
        "revoked_at": record.revoked_at,
        "revoked_reason": record.get_revoked_reason_display() if record.revoked_reason else "",
    }


@router.get(
    "/tokens",
    response=list[TokenOut],
    summary=gettext_lazy("List tokens"),
    description=gettext_lazy("Your tokens, newest first (the tokens themselves are never shown again)."),
)
def list_tokens(request):
    return [_out(t) for t in ApiToken.objects.filter(user=request.user)]


@router.post(
    "/tokens",
    response={201: NewToken, 400: Problem, 403: Problem, 409: Problem},
    summary=gettext_lazy("New token"),
    description=gettext_lazy(
        "A new token for scripts: send it as `Authorization: Bearer <token>`. Copy it now."
    ),
)
def new_token(request, payload: TokenIn):
    try:
        record, token = create_token(request.user, payload.name, with_token=request_by_token(request))
    except DomainError as problem:
        _fail(problem)
    return Status(201, {**_out(record), "token": token})


@router.delete(
    "/tokens/{token_id}",
    response={200: TokenOut, 404: Problem},
    summary=gettext_lazy("Delete token"),
    description=gettext_lazy("Revoke one of your tokens: requests made with it get 401 from now on."),
)
def delete_token(request, token_id: int):
    try:
        return _out(revoke_token(request.user, token_id))
    except DomainError as problem:
        _fail(problem)
