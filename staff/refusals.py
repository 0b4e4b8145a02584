"""What every staff use case raises when it cannot do what was asked: a `code` each door (the
API, the console) turns into its own words."""


class Refused(ValueError):
    """A staff action refused; `code` names why (each subclass lists its codes)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
