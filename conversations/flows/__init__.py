"""Every citizen flow, in main-menu order, and the flows built from records (surveys)."""

from conversations.flows.browse import BROWSE_FLOW
from conversations.flows.care import CARE_FLOW
from conversations.flows.notices import NOTICES_FLOW
from conversations.flows.onboarding import ONBOARDING_FLOW
from conversations.flows.profile import PROFILE_FLOW
from conversations.flows.propose import PROPOSE_FLOW
from conversations.flows.surveys import SURVEY_FAMILY, SURVEYS_FLOW
from conversations.model import Flow, FlowFamily

ALL_FLOWS: tuple[Flow, ...] = (
    ONBOARDING_FLOW,
    PROPOSE_FLOW,
    BROWSE_FLOW,
    SURVEYS_FLOW,
    CARE_FLOW,
    NOTICES_FLOW,
    PROFILE_FLOW,
)
FLOW_FAMILIES: tuple[FlowFamily, ...] = (SURVEY_FAMILY,)
