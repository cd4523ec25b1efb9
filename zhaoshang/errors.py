"""The one error the domain raises: what field, what value, what was expected."""


class ZsError(Exception):
    """Bad input or a refused change. The CLI prints it as one line and exits non-zero.

    >>> str(ZsError("--amount", "1.5e", "an amount such as 1.5亿 or 5000万"))
    "--amount '1.5e': expected an amount such as 1.5亿 or 5000万"
    """

    def __init__(self, field: str, value: object, expected: str, problem: str | None = None):
        self.field = field
        self.value = value
        self.expected = expected
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        value = repr(self.value) if isinstance(self.value, str) else str(self.value)
        problem = f" {self.problem};" if self.problem else ""
        return f"{self.field} {value}:{problem} expected {self.expected}"
