"""The one error type configuration problems raise."""


class ConfigError(ValueError):
    """One or more variables are missing or malformed; the message names each of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems))
