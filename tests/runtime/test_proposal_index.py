"""The look-alike index is read when a process starts, not in a citizen's turn, and then
only catches up with what changed: a search that finds nothing new reads nothing and
changes nothing."""

import pytest
from sqlalchemy import Engine

from runtime.desk import ProposalIndex
from storage import proposals
from storage.db import make_engine
from tests.auxil.factories import make_citizen, make_proposal


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


class Undone(Exception):
    """Ends a transaction the way a failed batch of turns does."""


def test_what_a_failed_transaction_showed_the_index_is_taken_back(db: Engine) -> None:
    kept = make_proposal(db, title="공원 벤치를 늘려 주세요")
    author = make_citizen(db, "batch-author")
    index = ProposalIndex()
    index.warm(db)
    with pytest.raises(Undone), index.tentative(), db.begin() as connection:
        proposals.submit(
            connection, author_id=author, title="도서관 야간 개방", body="밤에도",
            category="culture", dong=None,
        )  # fmt: skip
        proposals.set_hidden(connection, kind="proposal", item_id=kept, hidden=True)
        assert index.search(connection, "도서관 야간 개방 해 주세요")  # its own, uncommitted
        assert not index.search(connection, "공원 벤치 늘려 주세요")
        raise Undone
    with db.connect() as connection:
        assert not index.search(connection, "도서관 야간 개방 해 주세요")
        assert index.search(connection, "공원 벤치 늘려 주세요") == [kept]
    assert len(index.index) == 1


def test_a_transaction_that_is_kept_leaves_the_index_as_it_read_it(db: Engine) -> None:
    author = make_citizen(db, "batch-author")
    index = ProposalIndex()
    with index.tentative(), db.begin() as connection:
        made = proposals.submit(
            connection, author_id=author, title="도서관 야간 개방", body="밤에도",
            category="culture", dong=None,
        )  # fmt: skip
        index.search(connection, "", limit=0)
    with db.connect() as connection:
        assert index.search(connection, "도서관 야간 개방 해 주세요") == [made]
