"""Read user text into a SymPy expression safely: tokenize, build the syntax tree, whitelist walk.

User text never reaches ``eval``, ``sympify`` or ``parse_expr``. The checked tokens become a tree
(``tree.build_tree``, with explicit stacks, so a sum of 10,000 terms is as easy as one of two), and
a walker that knows only numbers, names, ``+ - * / **``, signs and calls of whitelisted functions
turns the tree into SymPy objects, again with a stack of its own rather than recursion.

>>> parse_expression("3x^2 + 2x")
3*x**2 + 2*x
>>> parse_expression("sin^2(x) + f(g(x))")
f(g(x)) + sin(x)**2

A name applied to an argument is an undefined function (``f(g(x))``) when it is one of the letters
``UNDEFINED_FUNCTIONS`` and is not also used as a variable in the same expression; any other unknown
name before ``(`` is refused with a hint (``x(y+1)``: write ``x*(y+1)``).
"""

from __future__ import annotations

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
    too_deep,
    undefined_functions,
)
from symgrad.expression.tree import Chain, Leaf, Power, Unary, build_tree


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
    walker = _Walker(text, callable_names - FUNCTIONS)
    expr = walker.build(build_tree(tokens))
    _check_powers(expr, text)
    return expr


def _check_powers(expr, text: str) -> None:
    """Hold the exponent limit for the expression as a whole: (x**1000)**1000 is x**1000000.

    A product written out, x*x*...*x, combines into one power too, so a long expression may reach
    an exponent as large as its length.
    """
    limit = max(MAX_EXPONENT, len(text))
    for power in expr.atoms(sympy.Pow):
        exponent = power.exp
        if not power.base.is_number and exponent.is_Rational and abs(exponent) > limit:
            why = "" if limit == MAX_EXPONENT else ", the length of the expression"
            raise ParseError(
                f"exponent is too large: {power.base}**{exponent} once the powers are combined "
                f"(the limit is {limit}{why})"
            )


class _Walker:
    """Builds SymPy objects from a syntax tree, accepting only whitelisted numbers, names and calls."""

    def __init__(self, text: str, undefined: frozenset[str] = frozenset()):
        self.text = text
        self.undefined = undefined

    def build(self, tree):
        """The SymPy object of ``tree``; a node deeper than ``MAX_DEPTH`` is refused where it begins."""
        values: list = []
        work: list[tuple[object, int, bool]] = [(tree, 0, False)]  # (node, depth, its parts are built)
        while work:
            node, depth, ready = work.pop()
            if ready:
                parts = _parts(node)
                built = values[len(values) - len(parts) :]
                del values[len(values) - len(parts) :]
                values.append(self._combine(node, built))
            elif depth > MAX_DEPTH:
                raise too_deep(self.text, node.start)
            elif isinstance(node, Leaf):
                token = node.token
                values.append(self._number(token) if token.kind == "num" else self._name(token))
            else:
                work.append((node, depth, True))
                work += [(part, depth + 1, False) for part in reversed(_parts(node))]
        (expr,) = values
        return expr

    def _combine(self, node, built: list):
        """The SymPy object of ``node`` from its parts, built in the order ``_parts`` gives."""
        if isinstance(node, Chain):
            first, *terms = reversed(built)
            items = [first]
            for (op, _), term in zip(node.rest, terms):
                items.append(-term if op == "-" else sympy.Pow(term, -1) if op == "/" else term)
            return sympy.Add(*items) if node.kind == "+" else sympy.Mul(*items)
        if isinstance(node, Power):
            base, exponent = built
            self._check_power(base, exponent, node)
            return base**exponent
        if isinstance(node, Unary):
            (operand,) = built
            return -operand if node.sign.text == "-" else operand
        name = node.name.text
        if name in self.undefined:
            return sympy.Function(name, real=True)(*built)
        message = arity_error(name, len(built))
        if message:
            raise ParseError(message, self.text, node.name.pos)
        return build_call(name, built)

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

    def _check_power(self, base, exponent, node: Power) -> None:
        """Refuse powers whose exact value would be astronomically large."""
        if not exponent.is_number:
            return
        if exponent.is_Rational and abs(exponent) > MAX_EXPONENT and not _is_unit(base):
            raise ParseError(f"exponent is too large (the limit is {MAX_EXPONENT})", self.text, node.start)
        if base.is_Rational and exponent.is_Rational:
            size = max(abs(base.p), abs(base.q)).bit_length() * 0.30103 * abs(exponent)
            if size > MAX_POWER_DIGITS:
                raise ParseError("power is too large to work with exactly", self.text, node.start)
        elif not exponent.is_Rational and not _bounded_number(exponent):
            raise ParseError(f"exponent is too large (the limit is {MAX_EXPONENT})", self.text, node.start)


def _parts(node) -> list:
    """The parts of ``node`` in the order they are built: a chain's terms from the last to the first,
    as symgrad has always built them, so an input with two faults is still refused for the same one."""
    if isinstance(node, Chain):
        return [term for _, term in reversed(node.rest)] + [node.first]
    if isinstance(node, Power):
        return [node.base, node.exponent]
    if isinstance(node, Unary):
        return [node.operand]
    return node.args


def _is_unit(base) -> bool:
    return bool(base.is_Number and base in (0, 1, -1))


def _bounded_number(value) -> bool:
    try:
        return abs(float(value)) <= MAX_EXPONENT
    except (TypeError, ValueError, OverflowError):
        return False
