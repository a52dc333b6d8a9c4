"""Read user text into a SymPy expression safely: tokenize, transform, ``ast.parse``, whitelist walk.

User text never reaches ``eval``, ``sympify`` or ``parse_expr``. Every name and number is replaced by a
placeholder before ``ast.parse`` sees the text, and the tree is turned into SymPy objects by a walker
that knows only numbers, names, ``+ - * / **``, unary signs and calls of whitelisted functions.

>>> parse_expression("3x^2 + 2x")
3*x**2 + 2*x
>>> parse_expression("sin^2(x) + f(g(x))")
f(g(x)) + sin(x)**2

A name applied to an argument is an undefined function (``f(g(x))``) when it is one of the letters
``UNDEFINED_FUNCTIONS`` and is not also used as a variable in the same expression; any other unknown
name before ``(`` is refused with a hint (``x(y+1)``: write ``x*(y+1)``).
"""

from __future__ import annotations

import ast

import sympy

from symgrad.errors import ParseError
from symgrad.expression.functions import CONSTANTS, FUNCTIONS, arity_error, build_call
from symgrad.expression.tokens import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_LITERAL_DIGITS,
    MAX_POWER_DIGITS,
    NOT_FINITE,
    NUMBER,
    Token,
    check_grammar,
    expand_roots,
    insert_products,
    lift_function_powers,
    tokenize,
    undefined_functions,
)


def parse_expression(text: str, functions: frozenset[str] = frozenset()):
    """Parse an expression; raise ParseError with the position of the problem.

    ``functions`` are names defined elsewhere (``--let "g(u)=u**2"``) that may be called as functions.
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression is too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    if not text.strip():
        raise ParseError("the expression is empty: write one, e.g. 'x**2 + 3*x'")
    tokens = lift_function_powers(expand_roots(tokenize(text), text), text)
    callable_names = FUNCTIONS | functions | undefined_functions(tokens)
    tokens = insert_products(tokens, text, callable_names)
    check_grammar(tokens, text)
    source, spans, names, numbers = _to_source(tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as error:
        offset = getattr(error, "offset", None)
        position = _position_at(spans, offset - 1) if offset else None
        raise ParseError("could not read the expression", text, position) from None
    walker = _Walker(text, names, numbers, spans, callable_names - FUNCTIONS)
    expr = walker.build(tree.body, 0)
    _check_powers(expr, text)
    return expr


def _check_powers(expr, text: str) -> None:
    """Hold the exponent limit for the expression as a whole: (x**1000)**1000 is x**1000000."""
    for power in expr.atoms(sympy.Pow):
        exponent = power.exp
        if not power.base.is_number and exponent.is_Rational and abs(exponent) > MAX_EXPONENT:
            raise ParseError(
                f"exponent is too large: {power.base}**{exponent} once the powers are combined "
                f"(the limit is {MAX_EXPONENT})"
            )


def _to_source(tokens: list[Token]):
    """Python source of placeholders, with where each piece came from in the user's text."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []  # (offset in source, position in text)
    names: dict[str, Token] = {}
    numbers: dict[str, Token] = {}
    offset = 0
    for token in tokens:
        if token.kind == "name":
            piece = f"n{len(names)}_"
            names[piece] = token
        elif token.kind == "num":
            piece = f"c{len(numbers)}_"
            numbers[piece] = token
        else:
            piece = token.text
        spans.append((offset, token.pos))
        parts.append(piece)
        offset += len(piece) + 1
    return " ".join(parts), spans, names, numbers


def _position_at(spans: list[tuple[int, int]], offset: int) -> int | None:
    position = None
    for start, pos in spans:
        if start > offset:
            break
        position = pos
    return position


class _Walker:
    """Builds SymPy objects from an ``ast`` tree, accepting only whitelisted nodes."""

    def __init__(self, text, names, numbers, spans, undefined=frozenset()):
        self.text = text
        self.undefined = undefined
        self.names = names
        self.numbers = numbers
        self.spans = spans

    def fail(self, message: str, node) -> ParseError:
        position = _position_at(self.spans, getattr(node, "col_offset", 0))
        return ParseError(message, self.text, position)

    def build(self, node, depth: int):
        if depth > MAX_DEPTH:
            raise self.fail(f"expression is nested too deeply (more than {MAX_DEPTH} levels)", node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            return sympy.Add(*self._chain(node, (ast.Add, ast.Sub), depth))
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            return sympy.Mul(*self._chain(node, (ast.Mult, ast.Div), depth))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base = self.build(node.left, depth + 1)
            exponent = self.build(node.right, depth + 1)
            self._check_power(base, exponent, node)
            return base**exponent
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Name) and node.id in self.numbers:
            return self._number(self.numbers[node.id])
        if isinstance(node, ast.Name) and node.id in self.names:
            return self._name(self.names[node.id])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            token = self.names.get(node.func.id)
            if token is not None and token.text in self.undefined:
                args = [self.build(arg, depth + 1) for arg in node.args]
                return sympy.Function(token.text, real=True)(*args)
            if token is None or token.text not in FUNCTIONS:
                raise self.fail("only whitelisted functions can be called", node)
            args = [self.build(arg, depth + 1) for arg in node.args]
            message = arity_error(token.text, len(args))
            if message:
                raise ParseError(message, self.text, token.pos)
            return build_call(token.text, args)
        raise self.fail("this kind of expression is not allowed", node)

    def _chain(self, node, ops, depth):
        """Terms of a left-leaning chain such as a+b-c+d, walked without deep recursion."""
        items = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ops):
            right = self.build(node.right, depth + 1)
            if isinstance(node.op, ast.Sub):
                right = -right
            elif isinstance(node.op, ast.Div):
                right = sympy.Pow(right, -1)
            items.append(right)
            node = node.left
        items.append(self.build(node, depth + 1))
        items.reverse()
        return items

    def _number(self, token: Token):
        match = NUMBER.fullmatch(token.text)
        mantissa, exponent = match.group(1), match.group(2)
        digits = len(mantissa.replace(".", "").lstrip("0"))
        power = int(exponent[1:]) if exponent else 0
        if digits > MAX_LITERAL_DIGITS or abs(power) > MAX_LITERAL_DIGITS:
            raise ParseError(
                f"number is too large to work with (limit {MAX_LITERAL_DIGITS} digits)",
                self.text,
                token.pos,
            )
        if exponent is None and "." not in mantissa:
            return sympy.Integer(int(mantissa))
        # Decimals are read exactly (0.1 is 1/10), so results stay exact.
        return sympy.Rational(mantissa) * sympy.Integer(10) ** power

    def _name(self, token: Token):
        if token.text.lower() in NOT_FINITE or token.text in ("oo", "zoo"):
            raise ParseError(
                f"'{token.text}' is neither a number symgrad reads nor a variable: values must be finite; "
                "write a large number such as 1e6, or give the variable another name",
                self.text,
                token.pos,
            )
        if token.text in CONSTANTS:
            return CONSTANTS[token.text]()
        if token.text in FUNCTIONS:
            raise ParseError(
                f"function '{token.text}' needs parentheses: {token.text}(...)", self.text, token.pos
            )
        return sympy.Symbol(token.text, real=True)

    def _check_power(self, base, exponent, node) -> None:
        """Refuse powers whose exact value would be astronomically large."""
        if not exponent.is_number:
            return
        if exponent.is_Rational and abs(exponent) > MAX_EXPONENT and not _is_unit(base):
            raise self.fail(f"exponent is too large (the limit is {MAX_EXPONENT})", node)
        if base.is_Rational and exponent.is_Rational:
            size = max(abs(base.p), abs(base.q)).bit_length() * 0.30103 * abs(exponent)
            if size > MAX_POWER_DIGITS:
                raise self.fail("power is too large to work with exactly", node)
        elif not exponent.is_Rational and not _bounded_number(exponent):
            raise self.fail(f"exponent is too large (the limit is {MAX_EXPONENT})", node)


def _is_unit(base) -> bool:
    return bool(base.is_Number and base in (0, 1, -1))


def _bounded_number(value) -> bool:
    try:
        return abs(float(value)) <= MAX_EXPONENT
    except (TypeError, ValueError, OverflowError):
        return False
