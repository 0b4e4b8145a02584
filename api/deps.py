"""What routes may ask for: a database session and the authenticated staff member."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session

from api.roles import may
from storage.models import Staff
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
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Staff:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    staff = staff_by_token(session, token=credentials.credentials)
    if staff is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "unknown or revoked token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return staff


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
