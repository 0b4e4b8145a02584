"""My API tokens: made (shown once), listed, revoked — as `/api/v1/tokens` does."""

from typing import Annotated

from fastapi import Form
from fastapi.responses import HTMLResponse, Response

from console.context import Page, PageContext, section_router
from console.language import (
    N_,
    _,
)
from console.sections import TOKENS
from storage import audit
from storage.db import transaction, writer_lock
from storage.staff import (
    issue_token,
    revoke_token,
    token_with_owner,
    tokens_of,
)

router = section_router(TOKENS)


def _tokens_page(ctx: PageContext, shown: str | None = None) -> HTMLResponse:
    with transaction(ctx.db) as session:
        tokens = tokens_of(session, staff_id=ctx.staff.id)
    return ctx.page("tokens.html", tokens=tokens, shown=shown)


@router.get("/tokens")
def tokens_page(ctx: Page) -> Response:
    """My API tokens: made (shown once), listed, revoked — as `/api/v1/tokens` does."""
    return _tokens_page(ctx)


@router.post("/tokens")
def token_make(
    ctx: Page,
    name: Annotated[str, Form(min_length=1, max_length=60)],
    days: Annotated[int, Form(ge=1, le=365)] = 90,
) -> Response:
    staff = ctx.staff
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        row, token = issue_token(session, staff_id=staff.key, name=name.strip(), days=days)
        audit.record(session, staff_id=staff.id, action="token.create", target=f"token:{row.id}")
    return _tokens_page(ctx, shown=_("새 토큰(지금만 보여요): {token}", token=token))


@router.post("/tokens/{token_id}/revoke")
def token_revoke(
    ctx: Page,
    token_id: int,
) -> Response:
    staff = ctx.staff
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        found = token_with_owner(session, token_id) if 0 < token_id < 2**31 else None
        mine = found is not None and found[1].id == staff.id
        if mine:
            revoke_token(session, token_id=token_id)
            audit.record(
                session, staff_id=staff.id, action="token.revoke", target=f"token:{token_id}"
            )
    if not mine:
        return ctx.refused(N_("없는 토큰이거나 내 토큰이 아니에요."))
    return _tokens_page(ctx, shown=N_("토큰을 폐기했어요. 이제 쓸 수 없어요."))
