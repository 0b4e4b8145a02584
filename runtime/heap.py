"""The long-lived part of a process's heap, set aside once start-up is done."""

import gc


def settle_heap() -> None:
    """Sets what start-up built (modules, catalogues, the app) aside from garbage collection.

    It lives as long as the process, yet every full collection walked all of it again: in
    `bench/updates.py` that was about 4 % of the bot process's time, and freezing it halves
    that. Start-up's own garbage is collected first, so nothing is kept that should go.
    """
    gc.collect()
    gc.freeze()


def release_heap() -> None:
    """Lets collections see everything again, so what a stopped service leaves can be freed."""
    gc.unfreeze()
