"""Every CSV export is formula-safe: a citizen's text cannot make Excel run anything."""

import csv
import io

import httpx
import pytest
from sqlalchemy import Engine

from staff.spreadsheet import safe_cell
from storage.staff import Role
from tests.auxil.factories import make_proposal, make_staff

ATTACK = '=HYPERLINK("http://evil.example","클릭")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_excel_would_run_is_made_text(start: str) -> None:
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_cells_are_left_alone() -> None:
    assert [safe_cell(v) for v in ("매탄3동", "010-1234-5678", 12, None)] == [
        "매탄3동",
        "010-1234-5678",
        "12",
        "",
    ]


async def test_a_proposal_titled_as_a_formula_exports_as_text(
    api: httpx.AsyncClient, db: Engine
) -> None:
    make_proposal(db, title=ATTACK)
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    response = await api.get("/api/v1/proposals/export.csv", headers=headers)
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[1][1] == "'" + ATTACK
    assert response.headers["cache-control"] == "no-store"
