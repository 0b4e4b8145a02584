"""What flows may ask of the city's records during a turn, without knowing how they are kept.

The runtime hands the engine a desk bound to the citizen and to the turn's transaction, so
what a flow reads and writes commits (or rolls back) together with the conversation state.
Tests pass an in-memory desk. The desk is one protocol per domain (proposals, polls, care,
notices, profile, counter); a flow's hooks are given the whole `Desk`.
"""

from typing import Protocol

from conversations.desk.care import CareCard, CareDesk, CareRequest, CareTerms, CareView
from conversations.desk.counter import CounterDesk, CounterJoin
from conversations.desk.notices import NoticeCard, NoticeDesk
from conversations.desk.polls import PollDesk, SurveyCard
from conversations.desk.profile import ProfileDesk
from conversations.desk.proposals import ProposalCard, ProposalDesk, ProposalRules, ProposalView


class Desk(ProposalDesk, PollDesk, CareDesk, NoticeDesk, ProfileDesk, CounterDesk, Protocol):
    """Everything a turn's flows may ask of the city's records."""


__all__ = [
    "CareCard",
    "CareDesk",
    "CareRequest",
    "CareTerms",
    "CareView",
    "CounterDesk",
    "CounterJoin",
    "Desk",
    "NoticeCard",
    "NoticeDesk",
    "PollDesk",
    "ProfileDesk",
    "ProposalCard",
    "ProposalDesk",
    "ProposalRules",
    "ProposalView",
    "SurveyCard",
]
