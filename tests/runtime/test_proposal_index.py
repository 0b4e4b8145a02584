"""The look-alike index is read when a process starts, not in a citizen's turn, and then
only catches up with what changed: a search that finds nothing new reads nothing and
changes nothing."""

import pytest
from sqlalchemy import Engine

from runtime.desk import ProposalIndex
from storage import proposals
from storage.db import make_engine
from tests.auxil.factories import make_proposal


def test_warming_reads_every_proposal_and_later_searches_only_the_changes(
    db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(30):
        make_proposal(db, title=f"공원 벤치 {n}번을 늘려 주세요")
    index = ProposalIndex()
    index.warm(db)
    assert len(index.index) == 30
    read: list[int] = []
    changed_since = proposals.changed_since

    def counted(connection, since):  # type: ignore[no-untyped-def]
        rows = changed_since(connection, since)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(proposals, "changed_since", counted)
    make_proposal(db, title="도서관 야간 개방")
    with db.connect() as connection:
        found = index.search(connection, "도서관 야간 개방 해 주세요")
    assert found and len(index.index) == 31
    assert read == [1]  # what changed since the warm read, not everything
    size = index.index.postings()
    with db.connect() as connection:
        for _ in range(50):
            index.search(connection, "공원 벤치 늘려 주세요")
    assert read[1:] == [0] * 50  # a search that finds nothing new reads nothing
    assert index.index.postings() == size


def test_a_database_that_does_not_answer_leaves_the_index_to_the_first_search() -> None:
    unreachable = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")
    index = ProposalIndex()
    index.warm(unreachable)
    assert len(index.index) == 0
    unreachable.dispose()
