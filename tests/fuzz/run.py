"""`make fuzz`: schemathesis against the live staff API, as an admin, on a fresh database.

    python -m tests.fuzz.run [--examples 60] [--seed 1]

The service runs here on SQLite (seeded with a proposal, a comment, a survey, a care case
and a notice, so ids 1 exist); schemathesis runs from its own virtual environment
(`.venv-fuzz`, made by `make fuzz`) and generates requests for every operation of
`/openapi.json`, checking that none is a server error and that every status code it gets
is documented. Not part of `make test`: it takes minutes.
"""

import argparse
import asyncio
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from conversations.desk import CareRequest, CareTerms, ProposalRules
from runtime.desk import ProposalIndex, StorageDesk
from storage import notices, polls, proposals
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import utcnow
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.auxil.service import running_service, sealer_for_tests, service_settings

SCHEMATHESIS = Path(".venv-fuzz/bin/schemathesis")


def seed(url: str) -> str:
    """Records with id 1 of every kind; returns an admin's token."""
    db = make_engine(url)
    proposal = make_proposal(db)
    citizen = make_citizen(db, "fuzz-citizen")
    with db.begin() as connection:
        proposals.comment(connection, proposal_id=proposal, author_id=citizen, body="좋아요")
        polls.create(
            connection,
            created_by=None,
            title="설문",
            questions=[{"kind": "yes_no", "text": "찬성하세요?"}],
            opens_at=utcnow(),
            closes_at=utcnow() + timedelta(days=7),
        )
        desk = StorageDesk(
            connection,
            citizen,
            ProposalIndex(),
            ProposalRules(),
            sealer=sealer_for_tests(),
            care_terms=CareTerms(365, None),
        )
        desk.apply_for_care(
            CareRequest(
                "self",
                None,
                ("meal",),
                "혼자 지내요",
                (),
                "김철수",
                None,
                "010-1234-5678",
                "매탄3동",
                "수원시",
                "morning",
            )
        )
        notices.create(connection, created_by=None, text="알림", topics=["welfare"], audience={})
    token = make_staff(db, role=Role.ADMIN, name="fuzz")[1]
    db.dispose()
    return token


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=60, help="cases per operation at most")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not SCHEMATHESIS.exists():
        print("schemathesis is missing: run `make fuzz`, which installs it in .venv-fuzz")
        return 2
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/fuzz.db"
        upgrade(url)
        token = seed(url)
        settings = service_settings(url, api_port=0)
        async with running_service(settings) as base:
            command = [
                str(SCHEMATHESIS), "run", f"{base}/openapi.json",
                "--header", f"Authorization: Bearer {token}",
                "--checks", "not_a_server_error,status_code_conformance",
                "--max-examples", str(args.examples), "--seed", str(args.seed),
                "--workers", "1", "--no-color",
                # The token stays the admin's: generated wrong tokens would lock this address
                # (the throttle), and every later request would only meet the 429.
                "--generation-with-security-parameters", "false",
                # Revoking tokens would revoke its own sooner or later; tests cover it.
                "--exclude-path-regex", "/revoke$",
            ]  # fmt: skip
            done = await asyncio.to_thread(subprocess.run, command)
    return done.returncode


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
