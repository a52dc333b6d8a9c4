"""Tokens of an expression and the passes over them: implied products, √ and sin² forms, the grammar.

The limits on what a user may type live here too; ``tree`` builds the syntax tree of the checked
tokens, and ``parse`` turns it into SymPy objects.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from dataclasses import dataclass

from symgrad.errors import NestingError, ParseError
from symgrad.expression.functions import FUNCTIONS, unknown_function

MAX_LENGTH = 20_000
MAX_DEPTH = 100
MAX_LITERAL_DIGITS = 1000
MAX_EXPONENT = 1000
MAX_POWER_DIGITS = 10_000
# The letters textbooks use for functions they leave unspecified: f(g(x)) differentiates to f′(g(x))·g′(x).
UNDEFINED_FUNCTIONS = frozenset("fghFGH")

NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_CHARS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
NOT_FINITE = ("nan", "inf", "infinity")  # what Python and SymPy call values that are not finite
_OPERATOR_ALIASES = {"−": "-", "–": "-", "·": "*", "⋅": "*", "×": "*", "÷": "/", "^": "**"}
_SINGLE = set("+-*/(),")
_HINTS = {
    ".": "attribute access is not allowed",
    "=": "an expression has no '='; give point values with --at",
    "[": "use ( ) for grouping",
    "]": "use ( ) for grouping",
    "{": "use ( ) for grouping",
    "}": "use ( ) for grouping",
    "'": "write the expression without quotes inside it",
    '"': "write the expression without quotes inside it",
    "!": "factorial is not supported",
}


def too_deep(text: str, position: int) -> NestingError:
    """The error for nesting past ``MAX_DEPTH`` at ``position``: SymPy recurses through deep trees."""
    return NestingError(
        f"expression is nested too deeply at character {position + 1} (more than {MAX_DEPTH} levels of "
        "brackets, calls, signs or powers): simplify it",
        text,
        position,
    )


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "sqrt"
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif (
            c.isdigit()
            and c.isascii()
            or (c == "." and i + 1 < n and text[i + 1].isascii() and text[i + 1].isdigit())
        ):
            _refuse_prefixed_number(text, i)
            match = NUMBER.match(text, i)
            tokens.append(Token("num", match.group(), i))
            i = match.end()
        elif c == "π":
            tokens.append(Token("name", "pi", i))
            i += 1
        elif c.isalpha() or c == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_") and text[j] not in _SUPERSCRIPT_CHARS:
                if text[j] == "π":
                    break
                j += 1
            tokens.append(Token("name", _plain_name(text, i, j), i))
            i = j
        elif c in _SUPERSCRIPT_CHARS:
            j = i
            while j < n and text[j] in _SUPERSCRIPT_CHARS:
                j += 1
            power = text[i:j].translate(_SUPERSCRIPTS)
            if not re.fullmatch(r"[+-]?\d+", power):
                raise ParseError("a superscript must be a whole number such as ² or ⁻¹", text, i)
            tokens.append(Token("op", "**", i))
            if power[0] in "+-":
                tokens += [Token("op", "(", i), Token("op", power[0], i)]
                tokens += [Token("num", power[1:], i), Token("op", ")", i)]
            else:
                tokens.append(Token("num", power, i))
            i = j
        elif c == "√":
            tokens.append(Token("sqrt", "√", i))
            i += 1
        elif text.startswith("**", i):
            tokens.append(Token("op", "**", i))
            i += 2
        elif c in _OPERATOR_ALIASES:
            tokens.append(Token("op", _OPERATOR_ALIASES[c], i))
            i += 1
        elif c in _SINGLE:
            tokens.append(Token("op", c, i))
            i += 1
        else:
            hint = _HINTS.get(c, "use numbers, names, + - * / ^ ** and ( )")
            plain = unicodedata.normalize("NFKC", c)
            if plain != c and plain.isascii():
                hint = f"it is a full-width or compatibility form of {plain!r}: write {plain!r}"
            raise ParseError(f"unexpected character {c!r}: {hint}", text, i)
    return tokens


_PREFIXED = re.compile(r"0([xX][0-9a-fA-F]|[bB][01]|[oO][0-7])\w*")


def _refuse_prefixed_number(text: str, i: int) -> None:
    """Refuse 0x1f, 0b101 and 0o17, which would otherwise read as 0 times a name."""
    match = _PREFIXED.match(text, i)
    if match is None or (i > 0 and (text[i - 1].isalnum() or text[i - 1] in "._")):
        return
    try:
        value = f" ({int(match.group(), 0)})"
    except ValueError:
        value = ""
    raise ParseError(
        f"{match.group()!r} looks like a hexadecimal, binary or octal number, which symgrad does not read: "
        f"write it in decimal{value}, or write 0*{match.group()[1:]} for a product",
        text,
        i,
    )


def _plain_name(text: str, start: int, end: int) -> str:
    """The name ``text[start:end]``, refused when it has full-width or compatibility characters.

    Python reads ｘ as x and x₁ as x1, so such a name and its plain form could be taken for one
    variable, or for two that look alike; the user is asked to write the plain form instead.
    """
    name = text[start:end]
    plain = unicodedata.normalize("NFKC", name)
    if plain != name:
        raise ParseError(
            f"the name {name!r} has full-width or compatibility characters, which read as {plain!r}: "
            f"write {plain!r}",
            text,
            start,
        )
    return name


def _is_call(tokens: list[Token], i: int) -> bool:
    return (
        tokens[i].kind == "name"
        and i + 1 < len(tokens)
        and tokens[i + 1].text == "("
        and tokens[i + 1].kind == "op"
    )


def _partners(tokens: list[Token]) -> dict[int, int]:
    """The index of the ')' that closes each '(' (a '(' never closed has none)."""
    partners: dict[int, int] = {}
    open_at: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind == "op" and token.text == "(":
            open_at.append(i)
        elif token.kind == "op" and token.text == ")" and open_at:
            partners[open_at.pop()] = i
    return partners


def _closing(tokens: list[Token], i: int, text: str, partners: dict[int, int]) -> int:
    """Index just past the parenthesis that closes the one at ``i``."""
    if i not in partners:
        raise ParseError("'(' is never closed: add ')'", text, tokens[i].pos)
    return partners[i] + 1


def _operand_end(tokens: list[Token], i: int, text: str, partners: dict[int, int]) -> int:
    """Index just past the operand of the √ at ``i``, which may be more √ and then the operand."""
    j = i + 1
    while j < len(tokens) and tokens[j].kind == "sqrt":
        j += 1
    root = tokens[j - 1]
    if j < len(tokens):
        token = tokens[j]
        if token.kind == "op" and token.text == "(":
            return _closing(tokens, j, text, partners)
        if _is_call(tokens, j):
            return _closing(tokens, j + 1, text, partners)
        if token.kind in ("num", "name"):
            return j + 1
    raise ParseError("√ must be followed by a number, a name or '('", text, root.pos)


def expand_roots(tokens: list[Token], text: str) -> list[Token]:
    """Turn ``√a`` into ``sqrt(a)``; ``a`` is the operand right after the sign (``√√x`` is sqrt(sqrt(x)))."""
    partners = _partners(tokens)
    closings: dict[int, list[Token]] = {}  # index of an operand's last token -> the ')' that follow it
    out: list[Token] = []
    end = 0
    for i, token in enumerate(tokens):
        if token.kind == "sqrt":
            if i == 0 or tokens[i - 1].kind != "sqrt":  # the first √ of a run finds the run's operand
                end = _operand_end(tokens, i, text, partners)
            out += [Token("name", "sqrt", token.pos), Token("op", "(", token.pos)]
            closings.setdefault(end - 1, []).append(Token("op", ")", tokens[end - 1].pos))
        else:
            out.append(token)
            out += closings.pop(i, ())
    return out


def lift_function_powers(tokens: list[Token], text: str) -> list[Token]:
    """``sin^2(x)`` and ``sin²(x)`` as textbooks mean them: ``sin(x)^2``."""
    partners = _partners(tokens)
    powers: dict[int, list[Token]] = {}  # index of a lifted call's ')' -> the power that follows it
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        lifted = (
            tokens[i].kind == "name"
            and tokens[i].text in FUNCTIONS
            and i + 3 < len(tokens)
            and tokens[i + 1].text == "**"
            and tokens[i + 2].kind == "num"
            and tokens[i + 3].text == "("
        )
        if lifted:
            powers[_closing(tokens, i + 3, text, partners) - 1] = tokens[i + 1 : i + 3]
            out.append(tokens[i])
            i += 3
        else:
            out.append(tokens[i])
            out += powers.pop(i, ())
            i += 1
    return out


def undefined_functions(tokens: list[Token]) -> frozenset[str]:
    """The letters of ``UNDEFINED_FUNCTIONS`` that are always applied to an argument, never a variable."""
    called, plain = set(), set()
    for i, token in enumerate(tokens):
        if token.kind == "name" and token.text in UNDEFINED_FUNCTIONS:
            (called if _is_call(tokens, i) else plain).add(token.text)
    return frozenset(called - plain)


def _ends_operand(token: Token) -> bool:
    return token.kind in ("num", "name") or (token.kind == "op" and token.text == ")")


def _starts_operand(token: Token) -> bool:
    return token.kind in ("num", "name") or (token.kind == "op" and token.text == "(")


def insert_products(tokens: list[Token], text: str, callable_names: frozenset[str]) -> list[Token]:
    """Make implied products explicit: ``2x``, ``3(x+1)``, ``(x+1)(x-1)``, ``x y``."""
    out: list[Token] = []
    for token in tokens:
        if token.kind == "name" and keyword.iskeyword(token.text) and token.text != "lambda":
            # 'x and y', 'x if y else z', 'None': Python words that are neither variables nor math.
            raise ParseError(
                f"'{token.text}' is a reserved word of Python, not an operator or a variable here: use "
                "*, +, -, /, ** and functions, and give variables other names",
                text,
                token.pos,
            )
        if out and _ends_operand(out[-1]) and _starts_operand(token):
            previous = out[-1]
            if previous.kind == "num" and token.kind == "name" and token.text.startswith("_"):
                if token.pos == previous.pos + len(previous.text):  # 1_000: Python's digit grouping
                    raise ParseError("write numbers without '_' (1000, not 1_000)", text, token.pos)
            if previous.kind == "name" and token.text == "(":
                if previous.text not in callable_names:
                    raise ParseError(unknown_function(previous.text), text, previous.pos)
                out.append(token)
                continue
            if previous.kind == "name" and previous.text in FUNCTIONS:
                raise ParseError(
                    f"function '{previous.text}' needs parentheses: {previous.text}(...)",
                    text,
                    previous.pos,
                )
            if previous.kind == "num" and token.kind == "num":
                raise ParseError("two numbers in a row: put an operator between them", text, token.pos)
            out.append(Token("op", "*", token.pos))
        out.append(token)
    return out


def check_grammar(tokens: list[Token], text: str) -> None:
    """Check the token order so that errors name the place and what was expected."""
    expect_operand = True
    stack: list[bool] = []  # one entry per open parenthesis: is it a call's?
    for i, token in enumerate(tokens):
        kind, value = token.kind, token.text
        if expect_operand:
            if kind == "num" or (kind == "name" and not _is_call(tokens, i)):
                if kind == "name" and value in FUNCTIONS:
                    raise ParseError(f"function '{value}' needs parentheses: {value}(...)", text, token.pos)
                expect_operand = False
            elif kind == "name":  # a call: the '(' follows
                pass
            elif value == "(":
                stack.append(i > 0 and tokens[i - 1].kind == "name")
                if len(stack) > MAX_DEPTH:
                    raise too_deep(text, token.pos)
                if i + 1 < len(tokens) and tokens[i + 1].text == ")" and stack[-1]:
                    name = tokens[i - 1].text
                    raise ParseError(f"{name}() needs an argument", text, tokens[i + 1].pos)
            elif value in ("+", "-"):
                pass
            else:
                raise ParseError(f"expected a number, a name or '(' before {value!r}", text, token.pos)
        else:
            if value == ")":
                if not stack:
                    raise ParseError("unmatched ')': remove it or add '(' before", text, token.pos)
                stack.pop()
            elif value == ",":
                if not stack or not stack[-1]:
                    raise ParseError(
                        "',' separates function arguments only; write one expression",
                        text,
                        token.pos,
                    )
                expect_operand = True
            else:  # a binary operator
                expect_operand = True
    if expect_operand:
        raise ParseError("the expression ends too early: expected a number, a name or '('", text, len(text))
    if stack:
        opening = [t for t in tokens if t.text == "("]
        raise ParseError("'(' is never closed: add ')'", text, opening[-len(stack)].pos)
