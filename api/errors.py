"""Every error as JSON with a reason; bad input is a 4xx, never a 500."""

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """Every error: a short code and a reason a person can read."""

    error: str
    reason: str


MEANINGS = {
    400: "the request cannot be carried out as asked",
    401: "no token, or an unknown, expired or revoked one",
    403: "your role may not do this",
    404: "no such record, or not one you may see",
    409: "the record is not in a state that allows this",
    429: "too many wrong tokens from this address: wait as Retry-After says",
}


def document_errors(app: FastAPI, prefix: str = "/api/v1/") -> None:
    """Lists in the schema the errors each staff route can answer (validation's 422 is FastAPI's).

    Every staff route may be refused (401, 403); one that names a record may not find it
    (404); a write may be refused as it stands (400) or in the record's state (409).
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorBody"] = (
            ErrorBody.model_json_schema()
        )
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith(prefix):
                continue
            for method, operation in operations.items():
                codes = [401, 403, 429]
                if "{" in path or path.endswith("export.csv"):
                    codes.append(404)
                if method in ("post", "put", "patch", "delete"):
                    codes += [400, 404, 409]
                for code in codes:
                    operation["responses"].setdefault(
                        str(code), {"description": MEANINGS[code], "content": body}
                    )
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": _slug(error.status_code), "reason": str(error.detail)},
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in error.errors()
        ]
        return JSONResponse(
            {"error": "invalid_request", "reason": "the request is not valid", "details": details},
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"error": "internal_error", "reason": "something went wrong on our side"},
            status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )


def _slug(code: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        415: "unsupported_media_type",
        429: "too_many_requests",
        503: "unavailable",
    }.get(code, "error")
