"""The counter's records: joining moves what a session filed to the chat (a support given
twice counts once), a code works once and not after it expires or for another person, the
figures count items where they were filed, notices and staff news never queue for a
counter citizen, and key rotation re-seals the slips' codes."""

from datetime import timedelta

from sqlalchemy import Engine, select

from conversations.messages import default_catalog
from staff.telling import Telling
from storage import counter, notices, proposals
from storage.models import OutboxMessage, Proposal, utcnow
from storage.rotation import reseal_everything
from storage.sealing import Sealer
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.auxil.service import TEST_DATA_KEY, sealer_for_tests

NOW = utcnow()


def session_with(db: Engine, person: str = "a" * 64) -> tuple[int, int]:
    """A counter session (its id) and its resident (citizen id)."""
    staff_id, _ = make_staff(db, role=Role.STAFF, dongs=["매탄3동"])
    with db.begin() as connection:
        made = counter.start(
            connection,
            staff_id=staff_id,
            office_dong="매탄3동",
            how="in_person",
            reason="스마트폰이 없으심",
            person_key=person,
            now=NOW,
        )
        row = counter.get(connection, made)
    assert row is not None
    return made, row.citizen_id


def test_joining_moves_the_sessions_items_and_a_support_given_twice_counts_once(
    db: Engine,
) -> None:
    session_id, resident = session_with(db)
    chat, stranger = make_citizen(db, "chat-1"), make_citizen(db, "stranger")
    mine = make_proposal(db, title="경로당 앞 신호 연장", author=resident)
    liked = make_proposal(db, title="매탄동 그늘막")
    with db.begin() as connection:
        for citizen in (resident, chat):
            assert proposals.support(
                connection, proposal_id=liked, citizen_id=citizen, threshold=50
            )
        counter.mark(
            connection,
            session_id=session_id,
            filed=[counter.Filed("proposal", mine), counter.Filed("support", liked)],
            now=NOW,
        )
        code = counter.issue_code(
            connection, session_id=session_id, sealer=sealer_for_tests(), now=NOW
        )
        joined = counter.join(connection, code=code, citizen_id=chat, now=NOW)
        assert joined.items == (("proposal", mine), ("support", liked))
        author = connection.execute(select(Proposal.author_id).where(Proposal.id == mine))  # type: ignore[arg-type]
        assert author.scalar_one() == chat
        supports = connection.execute(
            select(Proposal.support_count).where(Proposal.id == liked)  # type: ignore[arg-type]
        ).scalar_one()
        assert supports == 1
        again = counter.join(connection, code=code, citizen_id=stranger, now=NOW)
        assert again.refused == "used"
        assert counter.join(connection, code=code, citizen_id=chat, now=NOW).refused is None


def test_a_code_expires_and_never_joins_another_persons_chat(db: Engine) -> None:
    session_id, _ = session_with(db, "b" * 64)
    other_session, _ = session_with(db, "c" * 64)
    chat = make_citizen(db, "chat-2")
    with db.begin() as connection:
        code = counter.issue_code(
            connection, session_id=session_id, sealer=sealer_for_tests(), now=NOW
        )
        late = NOW + timedelta(days=counter.CODE_DAYS + 1)
        assert counter.join(connection, code=code, citizen_id=chat, now=late).refused == "expired"
        other = counter.issue_code(
            connection, session_id=other_session, sealer=sealer_for_tests(), now=NOW
        )
        assert counter.join(connection, code=other, citizen_id=chat, now=NOW).refused is None
        refused = counter.join(connection, code=code, citizen_id=chat, now=NOW)
        assert refused.refused == "other_person"
        assert counter.join(connection, code="00000000", citizen_id=chat, now=NOW).refused == (
            "unknown"
        )


def test_figures_count_items_where_they_were_filed(db: Engine) -> None:
    session_id, resident = session_with(db)
    chat = make_citizen(db, "chat-3")
    at_counter = make_proposal(db, title="창구에서 낸 제안", author=resident)
    make_proposal(db, title="텔레그램에서 낸 제안", author=chat)
    with db.begin() as connection:
        counter.mark(
            connection,
            session_id=session_id,
            filed=[counter.Filed("proposal", at_counter)],
            now=NOW,
        )
        code = counter.issue_code(
            connection, session_id=session_id, sealer=sealer_for_tests(), now=NOW
        )
        counter.join(
            connection, code=code, citizen_id=chat, now=NOW
        )  # joined: still the counter's
        figures = counter.by_channel(connection)
    assert figures == {"counter": {"proposal": 1}, "telegram": {"proposal": 1}}


def test_notices_and_staff_news_never_queue_for_a_counter_citizen(db: Engine) -> None:
    session_with(db)
    make_citizen(db, "chat-4")
    audience = notices.Audience(filters={}, topics=(), dongs_of={})
    telling = Telling(default_catalog(), sealer_for_tests())
    with db.begin() as connection:
        assert notices.reach_by_channel(connection, audience=audience) == {"telegram": 1}
        people = connection.execute(
            select(
                counter.CITIZEN.c.id,
                counter.CITIZEN.c.channel,
                counter.CITIZEN.c.chat_id,
                counter.CITIZEN.c.language,
            )
        ).all()
        assert {p.channel for p in people} == {"telegram", "counter"}
        told = telling.tell(
            connection, people, lambda t: "소식", opens="browse", about="proposal:1"
        )
        channels = connection.execute(select(OutboxMessage.channel)).scalars().all()  # type: ignore[call-overload]
    assert told == 1 and channels == ["telegram"]


def test_key_rotation_reseals_the_slips_codes(db: Engine) -> None:
    session_id, _ = session_with(db)
    with db.begin() as connection:
        code = counter.issue_code(
            connection, session_id=session_id, sealer=sealer_for_tests(), now=NOW
        )
    new_key = Sealer.new_key()
    with db.begin() as connection:
        counts = reseal_everything(connection, Sealer([new_key, TEST_DATA_KEY]))
        assert counts["counter slips"] == 1
        reprinted = counter.issue_code(
            connection, session_id=session_id, sealer=Sealer([new_key]), now=NOW
        )
    assert reprinted == code
