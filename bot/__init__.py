"""The Telegram adapter: turns updates into engine events and replies into messages."""
