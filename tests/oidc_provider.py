"""A real OpenID Connect provider for the suite, run as a process on loopback.

    python -m tests.oidc_provider --port 9400 [--token-max-age 3600]

It is oidc-provider-mock (a provider built on Authlib's server, meant for tests: discovery,
JWKS, the authorization code flow, ID tokens signed RS256, userinfo, RP-initiated logout,
users and their claims set with ``PUT /users/<sub>``), with two things added here:

- PKCE is required and checked (the package accepts a code_challenge but does not store it):
  an authorization request without an S256 challenge is refused, and the token request must
  bring the verifier that matches it.
- ``GET /_seen`` tells a test what the provider was asked: the last authorization request's
  parameters and the end-session requests, so that a test checks what went over the wire.

``--token-max-age`` below zero issues ID tokens that are already expired.
"""

from __future__ import annotations

import argparse
import os
from datetime import timedelta

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # loopback, plain HTTP

import flask  # noqa: E402
from authlib.oauth2.rfc6749 import InvalidRequestError  # noqa: E402
from authlib.oauth2.rfc7636 import CodeChallenge  # noqa: E402
from oidc_provider_mock import _app  # noqa: E402

SEEN: dict = {"authorize": None, "end_session": []}
# The challenge of each code issued, kept beside the package's own code records.
CHALLENGES: dict[str, tuple[str, str]] = {}


class RequiredPkce(CodeChallenge):
    """RFC 7636 with the challenge mandatory for every client, confidential or public."""

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: the authorization request has no code_challenge")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with S256 is required")
        return super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result):
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'")
        return super().validate_code_verifier(grant, result)

    def get_authorization_code_challenge(self, authorization_code):
        return CHALLENGES.get(authorization_code.code, ("", ""))[0]

    def get_authorization_code_challenge_method(self, authorization_code):
        return CHALLENGES.get(authorization_code.code, ("", ""))[1] or None


class PkceCodeGrant(_app.AuthorizationCodeGrant):
    def save_authorization_code(self, code, request):
        super().save_authorization_code(code, request)
        data = request.payload.data
        CHALLENGES[code] = (data.get("code_challenge", ""), data.get("code_challenge_method", ""))


class PkceServer(_app.flask_oauth2.AuthorizationServer):
    def register_grant(self, grant_cls, extensions=None):
        if grant_cls is PkceCodeGrant:
            extensions = [*(extensions or []), RequiredPkce(required=True)]
        super().register_grant(grant_cls, extensions)


def build(token_max_age: int) -> flask.Flask:
    # The package registers its grants and server when its blueprint is set up; ours take their place.
    _app.AuthorizationCodeGrant = PkceCodeGrant
    _app.flask_oauth2.AuthorizationServer = PkceServer
    app = _app.app(require_nonce=True, access_token_max_age=timedelta(seconds=token_max_age))

    @app.before_request
    def remember():
        path = flask.request.path
        if path == "/oauth2/authorize" and flask.request.method == "GET":
            SEEN["authorize"] = flask.request.args.to_dict()
        elif path == "/oauth2/end_session":
            SEEN["end_session"].append(flask.request.values.to_dict())

    @app.get("/_seen")
    def seen():
        return flask.jsonify(SEEN)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token-max-age", type=int, default=3600)
    args = parser.parse_args()
    import werkzeug.serving

    werkzeug.serving.run_simple("127.0.0.1", args.port, build(args.token_max_age), threaded=True)


if __name__ == "__main__":
    main()
