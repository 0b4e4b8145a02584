"""The desk a turn's flows use, in the turn's own transaction: one part per domain of
`conversations.desk`, put together."""

from runtime.desk.care import CareAtDesk
from runtime.desk.counter import CounterAtDesk
from runtime.desk.index import ProposalIndex
from runtime.desk.notices import NoticesAtDesk
from runtime.desk.polls import PollsAtDesk, survey_results
from runtime.desk.profile import ProfileAtDesk
from runtime.desk.proposals import ProposalsAtDesk


class StorageDesk(
    ProposalsAtDesk, PollsAtDesk, CareAtDesk, NoticesAtDesk, ProfileAtDesk, CounterAtDesk
):
    """The whole `Desk`, backed by storage."""


__all__ = ["ProposalIndex", "StorageDesk", "survey_results"]
