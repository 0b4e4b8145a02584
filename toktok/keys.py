"""Where the data keys come from: DATA_KEYS, or in development a key file made on first use.

`make run` on a fresh clone must work without configuration, yet nothing personal may be
stored in clear; so development gets a random key in `var/data.key` (readable by its owner
only), and production refuses to start without DATA_KEYS.
"""

import logging
import os
from pathlib import Path

from storage.sealing import Sealer
from toktok.settings import DEVELOPMENT_KEY_FILE, Settings

log = logging.getLogger(__name__)


def data_keys(settings: Settings, key_file: Path = DEVELOPMENT_KEY_FILE) -> list[str]:
    """The keys that seal and open personal data: the first seals, every one opens."""
    keys = settings.data_key_list
    if keys:
        return keys
    if not key_file.exists():
        key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(Sealer.new_key())
        log.warning("made a development data key in %s; set DATA_KEYS in production", key_file)
    return [key_file.read_text().strip()]


def sealer_for(settings: Settings, key_file: Path = DEVELOPMENT_KEY_FILE) -> Sealer:
    return Sealer(data_keys(settings, key_file), settings.person_key.get_secret_value() or None)
