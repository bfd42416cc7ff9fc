"""The JSON API of Cercles (django-ninja): OpenAPI 3.1 at /api/openapi.json, docs at /api/docs.

Every endpoint looks objects up through the same scoped querysets and asks the same permission
names as the pages, then calls the same services: the API is another door to the same rooms.
"""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import HttpError

from . import communities, content, personal, problems, reports
from .schemas import ProblemType
from .security import CallerRateThrottle

DESCRIPTION = """
The JSON API of Cercles: the catalogue of communities, their presentation, meetings,
productions, discussions and the network library; your notifications; joining a community,
answering a meeting, replying in a thread, marking notifications read.

**Authentication.** Create a personal token on your profile page (read only, or read and
write; it expires) and send it as `Authorization: Bearer cer_…`. The site itself uses its
session cookie (with the CSRF token on writes). Without either, you read what visitors may read.
Every endpoint asks the same permissions as the pages: what you cannot see answers 404.

**Lists** are paginated by cursor: follow `next` (or pass `cursor=<next_cursor>`), `limit`
up to 100. They carry an `ETag`: send it back in `If-None-Match` to get `304 Not Modified`
when nothing changed.

**Errors** are problem details (RFC 9457, `application/problem+json`) in your language.
**Rate limits** apply per token, per signed-in person and per visitor's address (429 with
`Retry-After`).
"""


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, in the person's language.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status"],
}
ERROR_RESPONSES = {
    "401": "No valid token or session (expired, revoked or unknown token).",
    "403": "Not allowed; a read-only token on a write endpoint.",
    "404": "Missing, or not visible to you.",
    "409": "Refused in the present state (already a member, meeting started…).",
    "422": "Invalid parameters.",
    "429": "Too many requests: see Retry-After.",
}


class CerclesAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The generated document, with the problem details every operation may answer."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {"$ref": "#/components/schemas/Problem"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in ERROR_RESPONSES.items():
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/problem+json": {"schema": problem}},
                        },
                    )
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return conditional(request, response)


def conditional(request, response):
    """An ETag on every successful read, and 304 when the client already has this version."""
    patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    wanted = [tag.strip().removeprefix("W/") for tag in request.headers.get(
        "If-None-Match", ""
    ).split(",")]  # fmt: skip
    if etag in wanted or "*" in wanted:
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary"):
            not_modified[header] = response[header]
        return not_modified
    return response


api = CerclesAPI(
    title="Cercles API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    throttle=[CallerRateThrottle()],
)
problems.install(api)

meta = Router(tags=["about"])


@meta.get("/", auth=None, summary="Where to start", url_name="index")
def index(request):
    """The API's documents and its main lists."""

    def link(path):
        return request.build_absolute_uri(f"/api/{path}")

    return {
        "name": "Cercles API",
        "version": api.version,
        "openapi": link("openapi.json"),
        "docs": link("docs"),
        "communities": link("communities"),
        "library": link("library"),
        "me": link("me"),
        "notifications": link("notifications"),
    }


@meta.get(
    "/problems/{code}",
    response=ProblemType,
    auth=None,
    summary="What a problem type means",
    url_name="problem_type",
)
def problem_type(request, code: str):
    if code not in problems.PROBLEM_TYPES:
        raise HttpError(404, "unknown problem type")
    status, title, meaning = problems.PROBLEM_TYPES[code]
    return {
        "type": request.build_absolute_uri(request.path),
        "title": str(title),
        "status": status,
        "description": str(meaning),
    }


api.add_router("", communities.router)
api.add_router("", content.router)
api.add_router("", personal.router)
api.add_router("", reports.router)
api.add_router("", meta)


def not_found(request, rest=""):
    """Any other address under /api/ answers a problem too, not an HTML page."""
    return problems.problem_response(
        request, "not-found", _("There is no such address in the API: see /api/docs.")
    )
