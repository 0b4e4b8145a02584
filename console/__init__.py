"""The staff console: Korean pages, server-rendered, on the same storage and rules as the API."""
