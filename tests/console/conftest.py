"""The console's tests use the staff API's service (no bot) unless they need the chat."""

from tests.api.conftest import api  # noqa: F401  (the same running service and client)
