"""Citizen conversations as data, walked by one pure engine that knows nothing of any messenger."""
