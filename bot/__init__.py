"""The Telegram adapter: turns updates into engine events and replies into messages."""

import os

# Opt in to PTB's coming `timedelta` durations now; without it every 429 warns of deprecation.
os.environ.setdefault("PTB_TIMEDELTA", "1")
