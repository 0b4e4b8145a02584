"""What routes may ask for: a database session and the authenticated staff member."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session

from staff.roles import may
from storage import throttle
from storage.db import transaction, writer_lock
from storage.models import Staff, utcnow
from storage.staff import staff_by_token

_bearer = HTTPBearer(auto_error=False, description="Staff API token from `toktok staff add`")


def get_db(request: Request) -> Engine:
    return request.app.state.db


def get_session(db: Annotated[Engine, Depends(get_db)]) -> Iterator[Session]:
    """A session whose writes commit together when the route returns without error."""
    with Session(db, expire_on_commit=False) as session, session.begin():
        yield session


# scope="function": commit before the response goes out, so a 2xx means the write is kept.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_current_staff(
    request: Request,
    db: Annotated[Engine, Depends(get_db)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Staff:
    """The staff member whose token this is. Wrong tokens from one address are throttled:
    five in a minute lock it for 15 minutes (429 with Retry-After), across processes."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    key = f"bearer:{request.client.host if request.client else 'unknown'}"
    now = utcnow()
    # Own transactions, not the route's: a refused request must still count its failure.
    with writer_lock(db), transaction(db) as session:
        until = throttle.locked_until(session, key=key, now=now)
        check = None if until else staff_by_token(session, token=credentials.credentials, now=now)
        if check is not None and check.staff is None:
            until = throttle.failed(session, key=key, now=now)
    if until is not None:
        seconds = max(1, int((until - now).total_seconds()))
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many wrong tokens from this address; try again later",
            headers={"Retry-After": str(seconds)},
        )
    assert check is not None
    if check.staff is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            check.refused or "unknown token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return check.staff


CurrentStaff = Annotated[Staff, Depends(get_current_staff)]


def authorised(request: Request, staff: CurrentStaff) -> Staff:
    """The staff member, if the role table lets their role call this route; else a 403."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    if not may(staff.role, request.method, path):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "your role may not do this")
    return staff


# What every staff route asks for: who is calling, checked against `api/roles.py`.
Authorised = Annotated[Staff, Depends(authorised)]
