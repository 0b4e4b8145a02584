import pytest

from conversations.districts import suwon
from conversations.engine import Engine
from conversations.flows import ALL_FLOWS, FLOW_FAMILIES
from conversations.messages import default_catalog


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(ALL_FLOWS, default_catalog(), suwon(), families=FLOW_FAMILIES)
