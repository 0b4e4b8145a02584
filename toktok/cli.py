"""The `toktok` command: run the service, migrate, add staff, keys, back up, chat in a terminal."""

import argparse
import logging
import os
import sys
import tempfile

from pydantic import ValidationError

from runtime.logs import configure as configure_logging
from storage.staff import Role
from toktok.settings import Settings, refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="toktok", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="start the service: the web role (staff API, console, the bot's updates), the "
        "sender role (notices, outbox retries) and the scheduler role; all three by default",
    )
    run.add_argument("--web", action="store_true", help="serve the API, console and webhook")
    run.add_argument("--sender", action="store_true", help="send notices and retry the outbox")
    run.add_argument("--scheduler", action="store_true", help="run the timed jobs")
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        choices=range(1, 33),
        metavar="N",
        help="processes serving HTTP (uvicorn workers; PostgreSQL and, with the bot, webhook)",
    )
    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply all migrations")
    staff = commands.add_parser("staff", help="staff accounts")
    staff_add = staff.add_subparsers(dest="staff", required=True).add_parser(
        "add", help="add a staff member and print their API token once"
    )
    staff_add.add_argument("name")
    staff_add.add_argument("--login", help="sign-in name (a-z, 0-9, . _ -); staff<id> if left out")
    staff_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    staff_add.add_argument("--dong", action="append", default=[], help="repeat for several")
    staff_add.add_argument("--department", default="", help="e.g. 교통정책과 (saved answers)")
    keys = commands.add_parser("keys", help="keys that seal personal data at rest")
    key_commands = keys.add_subparsers(dest="keys", required=True)
    key_commands.add_parser("new", help="print a new key (put it first in DATA_KEYS)")
    key_commands.add_parser("rotate", help="seal everything again with the first key in DATA_KEYS")
    backup = commands.add_parser("backup", help="copy the database (SQLite) to a new file")
    backup.add_argument("target", help="the backup file to write (must not exist)")
    restore = commands.add_parser("restore", help="make the database (SQLite) from a backup")
    restore.add_argument("backup", help="a file written by `toktok backup`")
    commands.add_parser(
        "status", help="one screen for an operator: database, keys, queues, send rate"
    )
    chat = commands.add_parser("chat", help="talk to the bot's conversations in this terminal")
    chat.add_argument("--user", default="terminal", help="which citizen you play")
    args = parser.parse_args(argv)

    try:
        settings = Settings()
    except ValidationError as error:
        print(refused(error), file=sys.stderr)
        return 2
    configure_logging(json_lines=settings.json_logs, zone=settings.timezone)
    if args.command == "run":
        return _run(settings, _roles(args), args.workers)
    if args.command == "db":
        from storage.migrate import upgrade

        upgrade(settings.database_url)
        print("database is up to date")
        return 0
    if args.command == "staff":
        return _add_staff(
            settings, args.name, Role(args.role), args.dong, args.login, args.department
        )
    if args.command == "keys":
        return _keys(settings, args.keys)
    if args.command == "status":
        return _status(settings)
    if args.command == "backup":
        return _backup(settings, args.target)
    if args.command == "restore":
        return _restore(settings, args.backup)
    return _chat(settings, args.user)


def _roles(args: argparse.Namespace) -> str:
    """The roles asked for, as `toktok.service.Roles` reads them; none named means all."""
    named = [role for role in ("web", "sender", "scheduler") if getattr(args, role)]
    return ",".join(named or ["web", "sender", "scheduler"])


def _run(settings: Settings, roles: str, workers: int) -> int:
    import uvicorn

    from toktok.service import ROLES_VARIABLE, create_service, roles_from

    if workers > 1:
        if not settings.database_url.startswith("postgresql"):
            print("several workers need PostgreSQL (DATABASE_URL=postgresql+psycopg://…): "
                  "SQLite takes one process", file=sys.stderr)  # fmt: skip
            return 2
        if settings.bot_enabled and not settings.webhook_enabled and "web" in roles:
            print("several web workers need webhook mode (WEBHOOK_URL): long polling allows "
                  "one process", file=sys.stderr)  # fmt: skip
            return 2
        # Each worker is a process of its own: it builds the service from the environment,
        # and counts its metrics in files that /metrics sums (prometheus-client's way).
        os.environ[ROLES_VARIABLE] = roles
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="toktok-"))
        uvicorn.run(
            "toktok.service:service_from_environment",
            factory=True,
            workers=workers,
            host=settings.api_host,
            port=settings.api_port,
            log_config=None,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
        )
        return 0
    uvicorn.run(
        create_service(settings, roles_from(roles)),
        host=settings.api_host,
        port=settings.api_port,
        log_config=None,
        # Behind the reverse proxy, the client's address (for the sign-in and token
        # throttles) comes from X-Forwarded-For, trusted only from these addresses.
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    return 0


def _add_staff(
    settings: Settings,
    name: str,
    role: Role,
    dongs: list[str],
    login: str | None,
    department: str = "",
) -> int:
    from conversations.districts import suwon
    from storage.db import make_engine, transaction
    from storage.staff import by_login, create_staff, new_password, set_password

    unknown = suwon().unknown(dongs)
    if unknown:
        print(f"unknown dong: {', '.join(unknown)}", file=sys.stderr)
        return 2
    with transaction(make_engine(settings.database_url)) as session:
        if login and by_login(session, login) is not None:
            print(f"the login {login!r} is taken", file=sys.stderr)
            return 2
        staff, token = create_staff(
            session,
            name=name,
            role=role,
            dongs=dongs,
            login=login,
            department=department.strip()[:60],
        )
        password = new_password()
        set_password(staff, password, temporary=True)
    print(f"staff #{staff.id} {name} ({role.value}) added.")
    print(f"sign-in name: {staff.login}")
    print(f"first password (shown once, changed at the first sign-in): {password}")
    print(f"API token (shown once, keep it safe; expires in 90 days): {token}")
    return 0


def _keys(settings: Settings, command: str) -> int:
    from storage.db import make_engine, transaction, writer_lock
    from storage.rotation import reseal_everything
    from storage.sealing import Sealer
    from toktok.keys import sealer_for

    if command == "new":
        print(Sealer.new_key())
        return 0
    db = make_engine(settings.database_url)
    with writer_lock(db), transaction(db) as session:
        counts = reseal_everything(session.connection(), sealer_for(settings))
    print("sealed again with the first key: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


KEYS_REMINDER = (
    "Back up DATA_KEYS separately (not beside the database): without them the sealed "
    "personal data cannot be read."
)


def _status(settings: Settings) -> int:
    """The figures `/metrics` gives, for an operator without Prometheus; 1 if something is
    wrong (the database does not answer, the keys do not open the data, the schema is old)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import make_engine, transaction
    from storage.migrate import alembic_config
    from storage.models import utcnow
    from storage.operations import figures
    from storage.rotation import keys_open
    from toktok.keys import sealer_for

    db = make_engine(settings.database_url)
    head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    try:
        with transaction(db) as session:
            connection = session.connection()
            schema = MigrationContext.configure(connection).get_current_revision()
            keys = keys_open(connection, sealer_for(settings))
            now = figures(connection, now=utcnow())
    except SQLAlchemyError as error:
        print(f"database      does not answer ({type(error).__name__})")
        return 1
    finally:
        db.dispose()
    rows = [
        ("database", f"{db.dialect.name}, answering"),
        ("schema", "up to date" if schema == head else f"{schema}, not {head}: toktok db upgrade"),
        ("data keys", "open the stored data" if keys else "DO NOT open the stored data"),
        ("outbox", f"{now.outbox_unsent} unsent, oldest {now.outbox_oldest_seconds:.0f} s"),
        ("notices", f"{now.notices_sending} sending, {now.notices_queued} messages queued"),
        ("send rate", f"{now.notices_sent_last_minute} notice messages in the last minute"),
        ("failed", f"{now.notices_failed} notice messages failed for good"),
        ("surveys", f"{now.surveys_open} open"),
    ]
    for name, value in rows:
        print(f"{name:<13} {value}")
    return 0 if keys and schema == head else 1


def _backup(settings: Settings, target: str) -> int:
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from storage.backup import BackupError, backup_sqlite, postgres_version, sqlite_path

    source = sqlite_path(settings.database_url)
    if source is None:
        try:
            version = postgres_version(settings.database_url)
        except SQLAlchemyError as error:
            print(f"the database does not answer: {type(error).__name__}", file=sys.stderr)
            return 2
        print(f"PostgreSQL {version}: back it up with pg_dump {version.split('.')[0]} or newer,")
        print(f"e.g. pg_dump --format=custom --file={target} <the database URL>.")
        print(KEYS_REMINDER)
        return 0
    try:
        size = backup_sqlite(source, Path(target))
    except BackupError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"backed up {source} to {target} ({size:,} bytes). {KEYS_REMINDER}")
    return 0


def _restore(settings: Settings, backup: str) -> int:
    from pathlib import Path

    from storage.backup import BackupError, restore_sqlite, sqlite_path

    target = sqlite_path(settings.database_url)
    if target is None:
        print("restore a PostgreSQL database with pg_restore", file=sys.stderr)
        return 2
    try:
        restore_sqlite(Path(backup), target)
    except BackupError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"restored {target} from {backup}; run `toktok db upgrade` before starting.")
    return 0


def _chat(settings: Settings, user: str) -> int:
    from toktok.assembly import build_runtime
    from toktok.chat import chat

    logging.getLogger().setLevel(logging.WARNING)
    runtime, _ = build_runtime(settings)
    chat(runtime, user=user, lines=sys.stdin, out=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
