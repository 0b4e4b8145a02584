"""Watching operating-system processes from a test without blocking its event loop."""

import asyncio
import os


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def gone(pid: int, seconds: float = 10.0) -> bool:
    """True once `pid` has exited, False if it is still there after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if not alive(pid):
            return True
        await asyncio.sleep(0.05)
    return False
