"""The API's reference as a page of the tool: every operation, its parameters and answers, read
from the OpenAPI schema. Swagger UI (/api/docs) stays for trying requests, linked from here: its
own markup fails WCAG (buttons inside buttons, low contrast) and is not ours to change."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict | None) -> str:
    """A schema's type in a few words: "string", "list of ClauseOut", "integer or null"."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"[{_type(schema.get('items'))}]"
    return schema.get("type", "object")


def _body(content: dict | None) -> list[tuple[str, str]]:
    """(media type, schema) of a request or answer body."""
    return [(media, _type(value.get("schema"))) for media, value in (content or {}).items()]


@lru_cache(maxsize=8)
def reference(language: str | None = None) -> dict:
    """The schema read once per process and language into what the page lists: sections by tag, then
    schemas. Its words are the schema's, in ``language`` (the active one, which the key names)."""
    from drafting.api import api

    schema = api.get_openapi_schema(path_prefix="/api/")
    sections: dict[str, list[dict]] = {}
    for path, operations in schema["paths"].items():
        for method in METHODS:
            op = operations.get(method)
            if op is None:
                continue
            body = op.get("requestBody") or {}
            sections.setdefault((op.get("tags") or ["api"])[0], []).append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": str(op.get("summary", "")),
                    "description": str(op.get("description", "")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "type": _type(p.get("schema")),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _body(body.get("content")),
                    "responses": [
                        {
                            "status": status,
                            "description": r.get("description", ""),
                            "body": _body(r.get("content")),
                        }
                        for status, r in op.get("responses", {}).items()
                    ],
                }
            )
    schemas = [
        {
            "name": name,
            "description": s.get("description", ""),
            "fields": [
                {"name": field, "type": _type(f), "required": field in s.get("required", [])}
                for field, f in s.get("properties", {}).items()
            ],
        }
        for name, s in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]
    return {
        "title": str(schema["info"]["title"]),
        "description": str(schema["info"].get("description", "")),
        "sections": sorted(sections.items()),
        "schemas": schemas,
    }


def api_reference(request: HttpRequest) -> HttpResponse:
    return render(request, "drafting/api_reference.html", reference(get_language()))
