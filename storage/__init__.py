"""SQLModel tables and the queries on them; every SQL statement of the service lives here."""
