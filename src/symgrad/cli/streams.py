"""The standard streams at the edges of a run: closed, full, cut short by a reader, or not Unicode.

``prepare_streams`` readies them before a command runs; ``write_failure`` turns an error met while
writing into what the user is told; ``discard_output`` keeps a failed stream from failing again when
Python flushes it at exit.
"""

from __future__ import annotations

import codecs
import errno
import os
import sys
import unicodedata

# Exit code for output that cannot be written (EX_IOERR of BSD's sysexits.h, as mail tools use).
CANNOT_WRITE = 74

ASCII_ERRORS = "symgrad-ascii"

# What a terminal or pipe that cannot show Unicode gets instead of each character symgrad prints.
_ASCII = {
    "∇": "grad",
    "∂": "d",
    "‖": "|",
    "·": "*",
    "⋅": "*",
    "×": "x",
    "÷": "/",
    "−": "-",
    "–": "-",
    "—": "-",
    "′": "'",
    "″": "''",
    "‴": "'''",
    "√": "sqrt",
    "←": "<-",
    "→": "->",
    "↦": "->",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "±": "+/-",
    "≈": "~",
    "∞": "inf",
    "…": "...",
    "⌊": "floor(",
    "⌋": ")",
    "⌈": "ceil(",
    "⌉": ")",
    "ε": "eps",
    "π": "pi",
    "▁": "_",
    "▂": ".",
    "▃": "-",
    "▄": ":",
    "▅": "=",
    "▆": "+",
    "▇": "*",
    "█": "#",
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾ⁿᵗⁱ", "0123456789-+()nti"))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₋₊ᵢⱼₖ", "0123456789-+ijk"))


def ascii_equivalent(text: str, following: str = "", preceding: str = "") -> str:
    """``text`` with every character outside ASCII written in ASCII: ∇f → grad f, x² → x^2, x₁ → x1.

    ``preceding`` and ``following`` are the text around it, which decide whether a spelled-out word
    needs a space to stay a word of its own.
    """
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in _SUPERSCRIPTS:
            j = i
            while j < len(text) and text[j] in _SUPERSCRIPTS:
                j += 1
            out.append("^" + "".join(_SUPERSCRIPTS[c] for c in text[i:j]))
            i = j
            continue
        word = char if char.isascii() else _SUBSCRIPTS.get(char) or _ASCII.get(char) or _spelled(char)
        before = out[-1][-1:] if out else preceding[-1:]
        after = text[i + 1 : i + 2] or following[:1]
        if len(word) > 1 and word[0].isalpha() and before.isalpha():
            word = " " + word  # η∇f reads eta grad f, not etagrad f
        if len(word) > 1 and word[-1].isalpha() and after.isalpha():
            word += " "  # ∇f reads grad f, not gradf
        out.append(word)
        i += 1
    return "".join(out)


def _spelled(char: str) -> str:
    """A Greek letter's name (θ → theta), else the character's ASCII decomposition, else '?'."""
    name = unicodedata.name(char, "")
    if name.startswith("GREEK ") and " LETTER " in name:
        letter = name.rsplit(" ", 1)[-1].lower()
        return letter.capitalize() if "CAPITAL" in name else letter
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return plain or "?"


def _replace_with_ascii(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text, start, end = error.object, error.start, error.end
    return ascii_equivalent(text[start:end], text[end : end + 1], text[start - 1 : start]), end


codecs.register_error(ASCII_ERRORS, _replace_with_ascii)


def prepare_streams() -> str | None:
    """Ready stdout and stderr for a run; the reason the output cannot be written, if it cannot.

    A stream that cannot encode a character writes its ASCII equivalent instead of failing. A closed
    stderr becomes a sink; a closed stdout is reported before any work is done.
    """
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and stream.encoding.lower().replace("-", "") != "utf8":
            reconfigure(errors=ASCII_ERRORS)
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so that nothing fails while exiting
        return "standard output is closed"
    return None


def is_reader_gone(error: BaseException) -> bool:
    """Whether ``error`` says the reader of the output went away (``| head``): not a failure."""
    return isinstance(error, BrokenPipeError) or getattr(error, "errno", None) == errno.EPIPE


def write_failure(error: OSError) -> str:
    """The message for output that cannot be written: 'cannot write the output: no space left on device'."""
    reason = error.strerror or str(error) or type(error).__name__
    return f"cannot write the output: {reason[:1].lower() + reason[1:]}"


def discard_output(stream) -> None:
    """Point ``stream``'s file descriptor at the null device, so flushing what it still holds succeeds."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture into StringIO)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)
