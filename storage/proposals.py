"""Proposals, supports and comments.

Supports are one row per citizen and proposal (primary key), and `support_count` moves in the
same statement group, so a double tap, a replay or two processes never count twice.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    case,
    column,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy import text as text_clause

from storage.db import AnyRow, insert_unless_present, table_of
from storage.models import (
    Citizen,
    Proposal,
    ProposalComment,
    ProposalMute,
    ProposalReport,
    ProposalSupport,
    utcnow,
)

SEARCH_WORDS = 8  # words of a staff search that count; more narrow nothing further

PROPOSAL = table_of(Proposal)
SUPPORT = table_of(ProposalSupport)
COMMENT = table_of(ProposalComment)
REPORT = table_of(ProposalReport)
MUTE = table_of(ProposalMute)
CITIZEN = table_of(Citizen)
VISIBLE = PROPOSAL.c.hidden.is_(False)


def submit(
    connection: Connection,
    *,
    author_id: int,
    title: str,
    body: str,
    category: str,
    dong: str | None,
) -> int:
    now = utcnow()
    made: int = connection.execute(
        insert(PROPOSAL)
        .values(
            author_id=author_id,
            title=title,
            body=body,
            category=category,
            dong=dong,
            status="submitted",
            support_count=0,
            hidden=False,
            created_at=now,
            updated_at=now,
        )
        .returning(PROPOSAL.c.id)
    ).scalar_one()
    return made


def support(connection: Connection, *, proposal_id: int, citizen_id: int, threshold: int) -> bool:
    """True if this citizen's support is new and the proposal can be supported.

    Reaching `threshold` supports starts the clock for the official answer.
    """
    if not _is_open(connection, proposal_id):
        return False
    added = connection.execute(
        insert_unless_present(connection, SUPPORT)
        .values(proposal_id=proposal_id, citizen_id=citizen_id, created_at=utcnow())
        .returning(SUPPORT.c.proposal_id)
    ).first()
    if added is None:
        return False
    connection.execute(
        update(PROPOSAL)
        .where(PROPOSAL.c.id == proposal_id)
        .values(support_count=PROPOSAL.c.support_count + 1)
    )
    connection.execute(
        update(PROPOSAL)
        .where(
            PROPOSAL.c.id == proposal_id,
            PROPOSAL.c.support_count >= threshold,
            PROPOSAL.c.threshold_reached_at.is_(None),
        )
        .values(threshold_reached_at=utcnow())
    )
    return True


def withdraw(connection: Connection, *, proposal_id: int, citizen_id: int) -> bool:
    removed = connection.execute(
        delete(SUPPORT).where(
            SUPPORT.c.proposal_id == proposal_id, SUPPORT.c.citizen_id == citizen_id
        )
    )
    if removed.rowcount != 1:
        return False
    connection.execute(
        update(PROPOSAL)
        .where(PROPOSAL.c.id == proposal_id)
        .values(support_count=PROPOSAL.c.support_count - 1)
    )
    return True


def supports(connection: Connection, *, proposal_id: int, citizen_id: int) -> bool:
    found = connection.execute(
        select(SUPPORT.c.proposal_id).where(
            SUPPORT.c.proposal_id == proposal_id, SUPPORT.c.citizen_id == citizen_id
        )
    ).first()
    return found is not None


BROWSE_ORDER = {
    "newest": (PROPOSAL.c.created_at.desc(), PROPOSAL.c.id.desc()),
    "popular": (PROPOSAL.c.support_count.desc(), PROPOSAL.c.id.desc()),
}


def browse(
    connection: Connection,
    *,
    order: str,
    author_id: int | None = None,
    category: str | None = None,
    dong: str | None = None,
    page: int,
    size: int,
) -> tuple[list[AnyRow], bool]:
    """A page of visible proposals for citizens, and whether another page follows."""
    conditions: list[ColumnElement[bool]] = [VISIBLE]
    if author_id is not None:
        conditions.append(PROPOSAL.c.author_id == author_id)
    if category is not None:
        conditions.append(PROPOSAL.c.category == category)
    if dong is not None:
        conditions.append(PROPOSAL.c.dong == dong)
    rows = connection.execute(
        select(PROPOSAL.c.id, PROPOSAL.c.title, PROPOSAL.c.support_count, PROPOSAL.c.status)
        .where(*conditions)
        .order_by(*BROWSE_ORDER[order])
        .limit(size + 1)
        .offset((page - 1) * size)
    ).all()
    return list(rows[:size]), len(rows) > size


def report(
    connection: Connection,
    *,
    kind: str,
    item_id: int,
    citizen_id: int,
    hide_after: int,
    reason: str = "other",
) -> bool:
    """Records a report once per citizen, with its reason; enough different reporters hide the
    item."""
    added = connection.execute(
        insert_unless_present(connection, REPORT)
        .values(
            kind=kind, item_id=item_id, citizen_id=citizen_id, reason=reason, created_at=utcnow()
        )
        .returning(REPORT.c.id)
    ).first()
    if added is None:
        return False
    reporters = connection.execute(
        select(func.count())
        .select_from(REPORT)
        .where(REPORT.c.kind == kind, REPORT.c.item_id == item_id)
    ).scalar_one()
    if reporters >= hide_after:
        set_hidden(connection, kind=kind, item_id=item_id, hidden=True)
    return True


def reported(connection: Connection, *, limit: int = 100) -> list[dict[str, Any]]:
    """Reported proposals and comments, the most recently reported first, with how many
    different citizens reported each, its words and whether it is hidden now."""
    groups = connection.execute(
        select(
            REPORT.c.kind,
            REPORT.c.item_id,
            func.count().label("reports"),
            func.max(REPORT.c.created_at).label("last"),
        )
        .group_by(REPORT.c.kind, REPORT.c.item_id)
        .order_by(func.max(REPORT.c.created_at).desc())
        .limit(limit)
    ).all()
    items = []
    for group in groups:
        table = PROPOSAL if group.kind == "proposal" else COMMENT
        words = PROPOSAL.c.title if group.kind == "proposal" else COMMENT.c.body
        parent = PROPOSAL.c.id if group.kind == "proposal" else COMMENT.c.proposal_id
        row = connection.execute(
            select(words.label("text"), table.c.hidden, parent.label("proposal_id")).where(
                table.c.id == group.item_id
            )
        ).first()
        if row is not None:
            items.append({**group._mapping, **row._mapping, "reasons": {}})
    _add_reasons(connection, items)
    return items


def _add_reasons(connection: Connection, items: list[dict[str, Any]]) -> None:
    """Fills each item's `reasons` with how many citizens gave each reason, most given first
    (reports filed before reasons were asked count as "other")."""
    by_item = {(item["kind"], item["item_id"]): item for item in items}
    if not by_item:
        return
    rows = connection.execute(
        select(REPORT.c.kind, REPORT.c.item_id, REPORT.c.reason, func.count().label("n"))
        .where(REPORT.c.item_id.in_({item_id for _, item_id in by_item}))
        .group_by(REPORT.c.kind, REPORT.c.item_id, REPORT.c.reason)
        .order_by(func.count().desc(), REPORT.c.reason)
    ).all()
    for row in rows:
        item = by_item.get((row.kind, row.item_id))
        if item is not None:
            reason = row.reason or "other"
            item["reasons"][reason] = item["reasons"].get(reason, 0) + row.n


def report_counts(connection: Connection, *, kind: str, item_ids: list[int]) -> dict[int, int]:
    """How many citizens reported each of these items (those never reported are left out)."""
    if not item_ids:
        return {}
    rows = connection.execute(
        select(REPORT.c.item_id, func.count())
        .where(REPORT.c.kind == kind, REPORT.c.item_id.in_(item_ids))
        .group_by(REPORT.c.item_id)
    ).all()
    return {item_id: count for item_id, count in rows}


def dismiss_reports(connection: Connection, *, kind: str, item_id: int) -> int:
    """Clears an item's reports (they were unfounded); how many."""
    return connection.execute(
        delete(REPORT).where(REPORT.c.kind == kind, REPORT.c.item_id == item_id)
    ).rowcount


def posted(connection: Connection, *, kind: str, item_id: int) -> AnyRow | None:
    """A proposal or comment as moderation tells its author about it: author, whether it is
    hidden, its words, and the proposal it belongs to."""
    if kind == "proposal":
        query = select(
            PROPOSAL.c.author_id,
            PROPOSAL.c.hidden,
            PROPOSAL.c.title.label("words"),
            PROPOSAL.c.id.label("proposal_id"),
        ).where(PROPOSAL.c.id == item_id)
    else:
        query = select(
            COMMENT.c.author_id,
            COMMENT.c.hidden,
            COMMENT.c.body.label("words"),
            COMMENT.c.proposal_id,
        ).where(COMMENT.c.id == item_id)
    return connection.execute(query).first()


def set_hidden(connection: Connection, *, kind: str, item_id: int, hidden: bool) -> bool:
    table = PROPOSAL if kind == "proposal" else COMMENT
    values: dict[str, Any] = {"hidden": hidden}
    if kind == "proposal":
        values["updated_at"] = utcnow()
    changed = connection.execute(update(table).where(table.c.id == item_id).values(**values))
    return changed.rowcount == 1


def comment(connection: Connection, *, proposal_id: int, author_id: int, body: str) -> bool:
    if not _is_open(connection, proposal_id):
        return False
    connection.execute(
        insert(COMMENT).values(
            proposal_id=proposal_id,
            author_id=author_id,
            body=body,
            hidden=False,
            created_at=utcnow(),
        )
    )
    return True


def _is_open(connection: Connection, proposal_id: int) -> bool:
    found = connection.execute(
        select(PROPOSAL.c.id).where(PROPOSAL.c.id == proposal_id, VISIBLE)
    ).first()
    return found is not None


def cards(connection: Connection, ids: list[int]) -> list[AnyRow]:
    """Title, supports and status of visible proposals, in the order of `ids`."""
    if not ids:
        return []
    rows = connection.execute(
        select(PROPOSAL.c.id, PROPOSAL.c.title, PROPOSAL.c.support_count, PROPOSAL.c.status).where(
            PROPOSAL.c.id.in_(ids), VISIBLE
        )
    ).all()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def changed_since(connection: Connection, since: tuple[datetime, int] | None) -> list[AnyRow]:
    """Proposals written after `since` — a (time written, id) read before, all when None —
    in that order, for the look-alike index: strictly after, so a catch-up that finds
    nothing new reads nothing (the id breaks ties between proposals written at one time)."""
    query = select(PROPOSAL.c.id, PROPOSAL.c.title, PROPOSAL.c.hidden, PROPOSAL.c.updated_at)
    if since is not None:
        at, last = since
        query = query.where(  # the first condition is the index's range
            PROPOSAL.c.updated_at >= at, (PROPOSAL.c.updated_at > at) | (PROPOSAL.c.id > last)
        )
    return list(connection.execute(query.order_by(PROPOSAL.c.updated_at, PROPOSAL.c.id)).all())


def indexed(connection: Connection, ids: Iterable[int]) -> list[AnyRow]:
    """The look-alike index's fields of these proposals as they stand (gone ones left out)."""
    query = select(PROPOSAL.c.id, PROPOSAL.c.title, PROPOSAL.c.hidden)
    return list(connection.execute(query.where(PROPOSAL.c.id.in_(list(ids)))).all())


def count(connection: Connection) -> dict[str, int]:
    proposals = connection.execute(select(func.count()).select_from(PROPOSAL)).scalar_one()
    comments = connection.execute(select(func.count()).select_from(COMMENT)).scalar_one()
    return {"proposals": proposals, "comments": comments}


ANSWERED = ("accepted", "partly_accepted", "not_accepted")
STATUSES = ("submitted", "under_review", *ANSWERED)


def search(
    connection: Connection,
    *,
    status: str | None = None,
    category: str | None = None,
    dong: str | None = None,
    text: str | None = None,
    number: int | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    include_hidden: bool = False,
    over_threshold: bool = False,
    due_before: datetime | None = None,
    department: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AnyRow], int]:
    """A page of proposals, newest first, and how many match in all.

    `text` finds proposals holding every word of it (or part of a word: 정류 finds 정류장) in
    their title or text, those with more of the words in their title first; the trigram
    indexes (PostgreSQL's pg_trgm, SQLite's FTS5 table) serve each word of three letters or
    more. `due_before` keeps unanswered proposals whose answer
    clock started before it (overdue); `number` is the proposal `text` names as a receipt
    number, if it does.
    """
    conditions: list[ColumnElement[bool]] = []
    if over_threshold:
        conditions.append(PROPOSAL.c.threshold_reached_at.is_not(None))
    if due_before is not None:
        conditions += [
            PROPOSAL.c.threshold_reached_at < due_before,
            PROPOSAL.c.answer.is_(None),
        ]
    if not include_hidden:
        conditions.append(VISIBLE)
    for field, value in (
        (PROPOSAL.c.status, status),
        (PROPOSAL.c.category, category),
        (PROPOSAL.c.dong, dong),
        (PROPOSAL.c.department, department),
    ):
        if value is not None:
            conditions.append(field == value)
    typed = (text or "").split()[:SEARCH_WORDS]
    in_title: list[ColumnElement[int]] = []
    if typed:
        indexed, scanned = _indexed(connection, typed)
        words = and_(
            *(_holds(PROPOSAL.c.title, word) | _holds(PROPOSAL.c.body, word) for word in scanned),
            *indexed,
        )
        in_title = [case((_holds(PROPOSAL.c.title, word), 1), else_=0) for word in typed]
        # Words typed as a receipt number (P-000123, 123) find that proposal too.
        conditions.append(words | (PROPOSAL.c.id == number) if number is not None else words)
    if created_from is not None:
        conditions.append(PROPOSAL.c.created_at >= created_from)
    if created_to is not None:
        conditions.append(PROPOSAL.c.created_at < created_to)
    newest_first = (PROPOSAL.c.created_at.desc(), PROPOSAL.c.id.desc())
    if not in_title:
        # Newest first is the index's own order: the page is read from it, and counted apart.
        total = connection.execute(
            select(func.count()).select_from(PROPOSAL).where(*conditions)
        ).scalar_one()
        rows = connection.execute(
            select(PROPOSAL).where(*conditions).order_by(*newest_first).limit(limit).offset(offset)
        ).all()
        return list(rows), int(total)
    # Ranked by words, every match is sorted: the page's ids in order and, beside each, how
    # many match in all, in one pass that sorts ids only (sorting whole rows costs more than
    # finding them); then those rows.
    page = connection.execute(
        select(PROPOSAL.c.id, func.count().over().label("matched"))
        .where(*conditions)
        .order_by(sum(in_title[1:], in_title[0]).desc(), *newest_first)
        .limit(limit)
        .offset(offset)
    ).all()
    if not page:
        total = connection.execute(
            select(func.count()).select_from(PROPOSAL).where(*conditions)
        ).scalar_one()
        return [], int(total)
    found = {
        row.id: row
        for row in connection.execute(
            select(PROPOSAL).where(PROPOSAL.c.id.in_([item.id for item in page]))
        )
    }
    return [found[item.id] for item in page if item.id in found], int(page[0].matched)


def _holds(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    """`column` holds `word`, in any case. A word with no cased letters (Korean, digits) is
    matched as it is: PostgreSQL's ILIKE folds every row's text first, five times slower."""
    if word.lower() == word.upper():
        return column.contains(word, autoescape=True)
    return column.icontains(word, autoescape=True)


# SQLite's trigram index of titles and texts (migration e7b25f0c8d41): a word of three
# letters or more is looked up there; shorter ones have no trigram and are read row by row.
_WORDS_FOUND = text_clause(
    "SELECT rowid FROM proposal_words WHERE proposal_words MATCH :words"
).columns(column("rowid", Integer))
TRIGRAM = 3


def _indexed(
    connection: Connection, typed: list[str]
) -> tuple[list[ColumnElement[bool]], list[str]]:
    """On SQLite, the proposals the full-text index finds holding every longer word (a
    trigram phrase matches where `LIKE '%word%'` does), and the words left to read row by
    row; elsewhere nothing and every word (PostgreSQL's trigram indexes serve `LIKE`)."""
    long_words = [word for word in typed if len(word) >= TRIGRAM]
    if connection.dialect.name != "sqlite" or not long_words:
        return [], typed
    phrase = " AND ".join('"' + word.replace('"', '""') + '"' for word in long_words)
    short_words = [word for word in typed if len(word) < TRIGRAM]
    return [PROPOSAL.c.id.in_(_WORDS_FOUND.bindparams(words=phrase))], short_words


def assign(
    connection: Connection, *, proposal_id: int, department: str | None, due_on: date | None
) -> None:
    """Puts the proposal in a department's queue, due on a day (None takes it out)."""
    connection.execute(
        update(PROPOSAL)
        .where(PROPOSAL.c.id == proposal_id)
        .values(department=department, due_on=due_on, updated_at=utcnow())
    )


def queue(connection: Connection, *, department: str, limit: int = 200) -> list[AnyRow]:
    """A department's proposals: unanswered first, the soonest due first, then the answered."""
    return list(
        connection.execute(
            select(PROPOSAL)
            .where(PROPOSAL.c.department == department)
            .order_by(
                PROPOSAL.c.answer.is_not(None),
                PROPOSAL.c.due_on.is_(None),
                PROPOSAL.c.due_on,
                PROPOSAL.c.id,
            )
            .limit(limit)
        ).all()
    )


def get(connection: Connection, proposal_id: int) -> AnyRow | None:
    return connection.execute(select(PROPOSAL).where(PROPOSAL.c.id == proposal_id)).first()


def latest_comments(
    connection: Connection, proposal_id: int, limit: int = 20, *, visible_only: bool = False
) -> list[AnyRow]:
    conditions = [COMMENT.c.proposal_id == proposal_id]
    if visible_only:
        conditions.append(COMMENT.c.hidden.is_(False))
    return list(
        connection.execute(
            select(
                COMMENT.c.id,
                COMMENT.c.author_id,
                COMMENT.c.body,
                COMMENT.c.hidden,
                COMMENT.c.created_at,
            )
            .where(*conditions)
            .order_by(COMMENT.c.created_at.desc(), COMMENT.c.id.desc())
            .limit(limit)
        ).all()
    )


def set_status(
    connection: Connection,
    *,
    proposal_id: int,
    status: str,
    answer: str | None,
    staff_id: int,
) -> None:
    values: dict[str, Any] = {"status": status, "updated_at": utcnow()}
    if answer is not None:
        values.update(answer=answer, answered_by=staff_id, answered_at=utcnow())
    connection.execute(update(PROPOSAL).where(PROPOSAL.c.id == proposal_id).values(**values))


def followers(connection: Connection, proposal_id: int) -> list[AnyRow]:
    """Author, supporters and commenters who still take messages: where and in what language."""
    people = (
        select(PROPOSAL.c.author_id.label("citizen_id"))
        .where(PROPOSAL.c.id == proposal_id)
        .union(
            select(SUPPORT.c.citizen_id).where(SUPPORT.c.proposal_id == proposal_id),
            select(COMMENT.c.author_id).where(COMMENT.c.proposal_id == proposal_id),
        )
        .subquery()
    )
    muted = select(MUTE.c.citizen_id).where(MUTE.c.proposal_id == proposal_id)
    return list(
        connection.execute(
            select(CITIZEN.c.id, CITIZEN.c.channel, CITIZEN.c.chat_id, CITIZEN.c.language)
            .join(people, people.c.citizen_id == CITIZEN.c.id)
            .where(CITIZEN.c.active, CITIZEN.c.notices_enabled, CITIZEN.c.id.not_in(muted))
            .order_by(CITIZEN.c.id)
        ).all()
    )


def set_muted(connection: Connection, *, proposal_id: int, citizen_id: int, muted: bool) -> None:
    if muted:
        connection.execute(
            insert_unless_present(connection, MUTE).values(
                proposal_id=proposal_id, citizen_id=citizen_id
            )
        )
    else:
        connection.execute(
            delete(MUTE).where(MUTE.c.proposal_id == proposal_id, MUTE.c.citizen_id == citizen_id)
        )


def is_muted(connection: Connection, *, proposal_id: int, citizen_id: int) -> bool:
    found = connection.execute(
        select(MUTE.c.proposal_id).where(
            MUTE.c.proposal_id == proposal_id, MUTE.c.citizen_id == citizen_id
        )
    ).first()
    return found is not None


def merge(connection: Connection, *, source_id: int, target_id: int) -> int:
    """Moves supports and comments of `source` to `target` and hides `source`.

    A citizen who supported both is counted once; the target's count is recomputed from the
    support rows. Returns the target's new support count.
    """
    moved = select(
        literal(target_id).label("proposal_id"), SUPPORT.c.citizen_id, SUPPORT.c.created_at
    ).where(SUPPORT.c.proposal_id == source_id)
    connection.execute(
        insert_unless_present(connection, SUPPORT).from_select(
            ["proposal_id", "citizen_id", "created_at"], moved
        )
    )
    connection.execute(delete(SUPPORT).where(SUPPORT.c.proposal_id == source_id))
    connection.execute(
        update(COMMENT).where(COMMENT.c.proposal_id == source_id).values(proposal_id=target_id)
    )
    total = connection.execute(
        select(func.count()).select_from(SUPPORT).where(SUPPORT.c.proposal_id == target_id)
    ).scalar_one()
    now = utcnow()
    connection.execute(
        update(PROPOSAL)
        .where(PROPOSAL.c.id == target_id)
        .values(support_count=total, updated_at=now)
    )
    connection.execute(
        update(PROPOSAL)
        .where(PROPOSAL.c.id == source_id)
        .values(hidden=True, support_count=0, updated_at=now)
    )
    return total


def visible_titles(connection: Connection) -> list[AnyRow]:
    return list(connection.execute(select(PROPOSAL.c.id, PROPOSAL.c.title).where(VISIBLE)).all())


def comment_exists(connection: Connection, comment_id: int) -> bool:
    found = connection.execute(select(COMMENT.c.id).where(COMMENT.c.id == comment_id)).first()
    return found is not None


# What stays of a proposal its author erased while others had taken part in it.
REMOVED_TITLE = "작성자가 지운 제안"
REMOVED_BODY = "작성자의 요청으로 내용을 지웠어요."


def posts_of(connection: Connection, *, author_id: int) -> tuple[int, int]:
    """How many proposals and comments the citizen has published (hidden ones included)."""
    proposals = connection.execute(
        select(func.count()).select_from(PROPOSAL).where(PROPOSAL.c.author_id == author_id)
    ).scalar_one()
    comments = connection.execute(
        select(func.count()).select_from(COMMENT).where(COMMENT.c.author_id == author_id)
    ).scalar_one()
    return int(proposals), int(comments)


def remove_posts_of(connection: Connection, *, author_id: int, now: datetime) -> None:
    """Takes an erased citizen's words out of public view, as they asked: their comments go;
    a proposal nobody else took part in goes with its reports; one that others supported,
    commented on or staff answered stays as a placeholder, so their part still reads."""
    connection.execute(delete(COMMENT).where(COMMENT.c.author_id == author_id))
    own = list(
        connection.execute(
            select(PROPOSAL.c.id, PROPOSAL.c.answer).where(PROPOSAL.c.author_id == author_id)
        ).all()
    )
    for proposal_id, answer in own:
        others = (
            connection.execute(
                select(func.count())
                .select_from(SUPPORT)
                .where(SUPPORT.c.proposal_id == proposal_id, SUPPORT.c.citizen_id != author_id)
            ).scalar_one()
            + connection.execute(
                select(func.count())
                .select_from(COMMENT)
                .where(COMMENT.c.proposal_id == proposal_id)
            ).scalar_one()
        )
        if others or answer:
            connection.execute(
                update(PROPOSAL)
                .where(PROPOSAL.c.id == proposal_id)
                .values(title=REMOVED_TITLE, body=REMOVED_BODY, author_id=None, updated_at=now)
            )
        else:
            connection.execute(
                delete(REPORT).where(REPORT.c.kind == "proposal", REPORT.c.item_id == proposal_id)
            )
            connection.execute(delete(PROPOSAL).where(PROPOSAL.c.id == proposal_id))
