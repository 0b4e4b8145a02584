"""What operators count, in Prometheus' format (`/metrics` on every process).

Counters and histograms are kept per process (with several uvicorn workers, in
prometheus-client's multiprocess mode, `PROMETHEUS_MULTIPROC_DIR`); the queue figures are
read from the database at each scrape (`api/routes/metrics.py`), so every process reports
the same. The README lists each metric and what a bad value means.
"""

from prometheus_client import Counter, Histogram

FAILED_TURNS = Counter(
    "toktok_turns_failed_total",
    "Citizen turns that failed after their retries, by what was done about it.",
    ["action"],
)
TURN_SECONDS = Histogram(
    "toktok_turn_seconds",
    "Time from a citizen's update to its replies being sent, per turn (count: turns).",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16),
)
SENT = Counter(
    "toktok_messages_sent_total",
    "Messages Telegram accepted, by kind: reply (to a turn) or notice.",
    ["kind"],
)
TOO_MANY = Counter(
    "toktok_telegram_429_total",
    "Requests Telegram refused with 429 Too Many Requests (each pauses every sender).",
)
SCHEDULER_LAG = Histogram(
    "toktok_scheduler_lag_seconds",
    "How late a timed job started after its planned moment.",
    buckets=(0.1, 0.5, 1, 5, 15, 30, 60, 300),
)
