"""The staff web API on the same storage as the bot."""
