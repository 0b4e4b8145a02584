"""What the forkserver imports before it forks turn workers (`runtime.workers`).

The turn code, then start-up's heap set aside from garbage collection (`settle_heap`): a
worker's first full collection would otherwise write to every object's header and so copy,
page by page, what it shares with the forkserver. Only the forkserver imports this module.
"""

from runtime import workers as workers
from runtime.heap import settle_heap

settle_heap()
