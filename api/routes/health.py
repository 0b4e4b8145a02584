"""Liveness and readiness for the process supervisor and the load balancer."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.deps import get_db
from storage.rotation import keys_open

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "database or data keys not usable"}})
def readyz(request: Request, db: Annotated[Engine, Depends(get_db)]) -> dict[str, str]:
    """Ready only when the database answers and the data keys open what it holds.

    Without either, no citizen turn can be stored or read.
    """
    try:
        with db.connect() as connection:
            usable = keys_open(connection, request.app.state.telling.sealer)
    except SQLAlchemyError as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "database unreachable") from error
    if not usable:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "the data keys do not open the stored data"
        )
    return {"status": "ready"}
