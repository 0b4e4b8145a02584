"""What every kind with declared options checks: values that fit a button and stand apart."""

from collections.abc import Iterable, Sequence

from conversations.matching import normalize
from conversations.model import Option
from conversations.values import engine_kind

# A button's data is at most 64 bytes; the prompt id and a separator take up to 12 of them.
CALLBACK_BYTES = 64
_PROMPT_ID_ROOM = 12


def option_problems(options: Sequence[Option]) -> Iterable[str]:
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        yield "repeats an option value"
    for value in dict.fromkeys(values):
        if len(value.encode()) > CALLBACK_BYTES - _PROMPT_ID_ROOM:
            yield f"option value {value!r} is too long for a button"
        kind = engine_kind(value)
        if kind is not None:
            yield f"option value {value!r} reads as the engine's own {kind.prefix!r} value"
    seen: dict[str, str] = {}
    for option in options:
        if not option.literal:
            continue
        # Typing any language's words picks the option, so no two options may share any.
        for text in dict.fromkeys([option.label, *(text for _, text in option.translations)]):
            key = normalize(text)
            if not key:
                yield f"option {option.value!r} has no words to show or type"
            elif seen.get(key, option.value) != option.value:
                yield f"options {seen[key]!r} and {option.value!r} read the same"
            else:
                seen[key] = option.value


def label_keys(options: Sequence[Option]) -> list[str]:
    return [o.label for o in options if not o.literal]
