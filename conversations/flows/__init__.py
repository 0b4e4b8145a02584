"""Every citizen flow, in main-menu order."""

from conversations.flows.browse import BROWSE_FLOW
from conversations.flows.onboarding import ONBOARDING_FLOW
from conversations.flows.profile import PROFILE_FLOW
from conversations.flows.propose import PROPOSE_FLOW
from conversations.model import Flow

ALL_FLOWS: tuple[Flow, ...] = (ONBOARDING_FLOW, PROPOSE_FLOW, BROWSE_FLOW, PROFILE_FLOW)
