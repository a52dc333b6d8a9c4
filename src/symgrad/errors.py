"""The errors symgrad raises; each kind carries the exit code the command line uses for it.

0 success, 1 math that cannot be done, 2 bad input or options, 3 time limit (the command line adds
74 for output it cannot write and 128 + n for signal n: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
"""


class SymgradError(Exception):
    """Base of every error symgrad reports to a user: the message is one line saying what to do."""

    exit_code = 1


class InputError(SymgradError):
    """The user's input or options are wrong (exit 2)."""

    exit_code = 2


class ParseError(InputError):
    """An expression could not be read; ``position`` is the index in ``text`` when known."""

    def __init__(self, message: str, text: str = "", position: int | None = None):
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position

    def caret_lines(self) -> list[str]:
        """The expression and a caret under the position, for showing under the error line.

        A long expression is shown as the ``CARET_WINDOW`` characters around the position, with
        ``...`` where it was cut:

        >>> ParseError("unmatched ')'", "x+" * 100 + "x)", 201).caret_lines()[1].index("^")
        124
        """
        text, position = self.text, self.position
        if not text or position is None or "\n" in text:
            return []
        start = max(0, min(position - CARET_WINDOW // 2, len(text) - CARET_WINDOW))
        end = start + CARET_WINDOW
        before = "..." if start > 0 else ""
        after = "..." if end < len(text) else ""
        shown = before + text[start:end] + after
        return ["  " + shown, "  " + " " * (len(before) + position - start) + "^"]


# How much of a long expression an error shows around its caret: about a line of a terminal.
CARET_WINDOW = 120


class NestingError(ParseError):
    """An expression is nested too deeply to read (exit 2); one line, without the text and caret.

    SymPy's own functions recurse through an expression, so depth is limited, not length; the text of
    such an expression is mostly brackets or signs, and the message says where the limit was passed.
    """

    def caret_lines(self) -> list[str]:
        return []


class MathError(SymgradError):
    """The input is well formed but the math cannot be done (exit 1)."""


class UndefinedValueError(MathError):
    """A value does not exist at a point (division by zero, log of zero, not real, ...)."""


class NotDifferentiableError(UndefinedValueError):
    """f has a kink or a jump at the point: the one-sided derivatives differ."""


class DivergedError(MathError):
    """A descent run diverged; raised after its output is written, so the table shows how (exit 1)."""


class TimeLimitError(SymgradError):
    """The computation ran past its wall-clock limit (exit 3)."""

    exit_code = 3
