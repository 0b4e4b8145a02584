"""The moderation queue over the API: reported items with how many citizens reported each
and why; unfounded reports are dismissed and the item shown again."""

import httpx
from sqlalchemy import Engine, select

from storage import proposals
from storage.models import Proposal
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff


async def test_reports_are_listed_with_reasons_and_dismissed(
    api: httpx.AsyncClient, db: Engine
) -> None:
    proposal_id = make_proposal(db, title="주차장 확충")
    reporters = [make_citizen(db, f"r{n}") for n in range(3)]
    with db.begin() as connection:
        for citizen, reason in zip(reporters, ("personal", "personal", "abuse"), strict=True):
            proposals.report(
                connection,
                kind="proposal",
                item_id=proposal_id,
                citizen_id=citizen,
                hide_after=3,
                reason=reason,
            )
    _, token = make_staff(db, role=Role.STAFF)
    staff = {"Authorization": f"Bearer {token}"}
    queue = (await api.get("/api/v1/reports", headers=staff)).json()
    assert len(queue) == 1
    item = queue[0]
    assert (item["kind"], item["item_id"], item["text"], item["hidden"]) == (
        "proposal",
        proposal_id,
        "주차장 확충",
        True,
    )
    assert item["reports"] == 3 and item["reasons"] == {"personal": 2, "abuse": 1}

    url = f"/api/v1/reports/proposal/{proposal_id}/dismiss"
    dismissed = await api.post(url, headers=staff)
    assert dismissed.status_code == 200 and dismissed.json() == {"dismissed": 3}
    with db.connect() as connection:
        assert connection.execute(select(Proposal.hidden)).scalar() is False
    assert (await api.get("/api/v1/reports", headers=staff)).json() == []
    again = await api.post(url, headers=staff)
    assert again.status_code == 404 and "no reports" in again.json()["reason"]
    wrong_kind = await api.post(f"/api/v1/reports/notice/{proposal_id}/dismiss", headers=staff)
    assert wrong_kind.status_code == 422
