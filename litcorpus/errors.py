"""One base error for the library; each message says how to fix the problem."""


class LitcorpusError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits with `exit_code`."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} ({self.hint})" if self.hint else message


class InputError(LitcorpusError):
    """An input file cannot be read as any known format."""


class CorpusError(LitcorpusError):
    """The corpus database is missing, locked or from an incompatible version."""
