"""What operators count, in Prometheus' format (`/metrics` on the API server)."""

from prometheus_client import Counter

FAILED_TURNS = Counter(
    "toktok_turns_failed_total",
    "Citizen turns that failed after their retries, by what was done about it.",
    ["action"],
)
