"""Personal data at rest: sealed with the first key, opened with any, rotated on demand."""

import os
import stat

import pytest
from pydantic import ValidationError

from storage.sealing import Sealer, SealingError
from toktok.keys import sealer_for
from toktok.settings import Settings


def test_a_sealed_value_hides_the_text_and_opens_again() -> None:
    sealer = Sealer([Sealer.new_key()])
    token = sealer.seal_text("010-1234-5678")
    assert token is not None and "1234" not in token
    assert sealer.open_text(token) == "010-1234-5678"
    assert sealer.open_json(sealer.seal_json({"phone": "01012345678"})) == {"phone": "01012345678"}


def test_rotation_moves_values_to_the_new_key_and_old_keys_still_open_them() -> None:
    old, new = Sealer.new_key(), Sealer.new_key()
    token = Sealer([old]).seal_text("김수원")
    both = Sealer([new, old])
    rotated = both.reseal_text(token)
    assert Sealer([new]).open_text(rotated) == "김수원"
    with pytest.raises(SealingError):
        Sealer([new]).open_text(token)


def test_rows_written_before_sealing_are_read_as_they_are_and_sealed_on_rotation() -> None:
    sealer = Sealer([Sealer.new_key()])
    assert sealer.open_json({"flow": None}) == {"flow": None}
    assert sealer.open_json(sealer.reseal_json({"flow": None})) == {"flow": None}


def test_development_makes_a_private_key_file_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    key_file = tmp_path / "var" / "data.key"
    first = sealer_for(settings, key_file)
    token = first.seal_text("비밀")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert sealer_for(settings, key_file).open_text(token) == "비밀"


def test_production_refuses_to_start_without_data_keys() -> None:
    with pytest.raises(ValidationError, match="DATA_KEYS must be set"):
        Settings(_env_file=None, environment="production")  # type: ignore[call-arg]
