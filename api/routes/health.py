"""Liveness and readiness for the process supervisor and the load balancer."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import get_db

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(db: Annotated[Engine, Depends(get_db)]) -> dict[str, str]:
    """Ready only when the database answers: without it no citizen turn can be stored."""
    try:
        with db.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "database unreachable") from error
    return {"status": "ready"}
