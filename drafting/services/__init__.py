"""State changes of the tool: each service is one transaction and raises DomainError."""


class DomainError(Exception):
    """Something a person asked for cannot be done; the message says why, in plain words."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
