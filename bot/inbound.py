"""Telegram updates as engine events; everything the engine cannot read becomes Unsupported."""

from telegram import Message, Update

from conversations.events import Command, Contact, Event, Press, Text, Unsupported

_MEDIA = (
    "sticker",
    "photo",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "location",
    "venue",
    "poll",
    "dice",
    "game",
    "story",
)


def event_from_update(update: Update) -> Event | None:
    """The citizen's event, or None for updates that are not a citizen speaking.

    Texts and presses carry the name Telegram shows for the person, which a step may offer
    (the care form's name); it is not kept unless the citizen chooses it.
    """
    user = update.effective_user
    sender = user.full_name if user is not None else None
    if update.callback_query is not None:
        press = press_from_data(update.callback_query.data or "")
        return Press(press.prompt_id, press.value, sender=sender)
    message = update.message
    if message is None:
        return None
    if message.contact is not None:
        own = user is not None and message.contact.user_id == user.id
        return Contact(phone=message.contact.phone_number, own=own)
    if message.text is not None:
        return _text_event(message, sender)
    kind = next((k for k in _MEDIA if getattr(message, k, None)), "other")
    return Unsupported(kind=kind)


def _text_event(message: Message, sender: str | None) -> Event:
    text = message.text or ""
    if text.startswith("/"):
        name = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""
        return Command(name=name)
    return Text(text=text, sender=sender)


def callback_data(prompt_id: int | None, value: str) -> str:
    return f"{prompt_id or 0}|{value}"


def press_from_data(data: str) -> Press:
    """A button press; data we did not make is treated as a stale button."""
    prompt, _, value = data.partition("|")
    return Press(prompt_id=int(prompt) if prompt.isdigit() else -1, value=value)
