"""Settings refuse what is unsafe, and never repeat a secret while saying why."""

import pytest
from pydantic import ValidationError

from storage.sealing import Sealer
from toktok.settings import Settings

SECRET = "this-secret-has-a-bad-char!"
TOKEN = "7000000001:AAAA-real-looking-token"


def test_a_refused_webhook_secret_is_not_printed() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            webhook_url="https://toktok.example",
            webhook_secret=SECRET,
            telegram_bot_token=TOKEN,
        )
    said = str(refused.value)
    assert "WEBHOOK_SECRET may contain only" in said
    assert SECRET not in said and TOKEN not in said


def test_a_refused_setting_beside_the_data_keys_does_not_print_them() -> None:
    key = Sealer.new_key()
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None, data_keys=key, api_port="not-a-port")  # type: ignore[call-arg]
    assert key not in str(refused.value) and key[:10] not in str(refused.value)


def test_secrets_do_not_show_in_the_settings_repr() -> None:
    key = Sealer.new_key()
    settings = Settings(_env_file=None, data_keys=key, telegram_bot_token=TOKEN)  # type: ignore[call-arg]
    assert key not in repr(settings) and TOKEN not in repr(settings)
    assert settings.data_key_list == [key] and settings.bot_enabled
