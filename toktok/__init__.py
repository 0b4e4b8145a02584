"""toktok: composition root, settings and command line of the civic participation channel."""
