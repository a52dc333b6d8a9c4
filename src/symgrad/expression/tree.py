"""The syntax tree of checked tokens, built with an operator stack and an operand stack, no recursion.

Precedence and grouping are Python's: ``+ -`` below ``* /`` below the signs ``+ -`` below ``**``,
which groups to the right; so ``-x**2`` is -(x**2), ``2**-1`` is 2**(-1), ``-x*y`` is (-x)*y and
``x**y**z`` is x**(y**z). A run of ``+`` and ``-`` (or of ``*`` and ``/``) is one ``Chain`` of all
its terms. Brackets leave no node, so a bracketed chain on the left joins the chain it starts, as in
Python's own tree: ``(a+b)-c`` has the three terms a, b, -c, while ``a-(b+c)`` has two.

>>> from symgrad.expression.tokens import tokenize
>>> tree = build_tree(tokenize("-x**2 + 3*y"))
>>> [op for op, _ in tree.rest], type(tree.first).__name__, type(tree.first.operand).__name__
(['+'], 'Unary', 'Power')

Each node keeps ``start``, the position in the text where it begins (with the brackets of its first
part), which is where an error about it points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symgrad.expression.tokens import Token


@dataclass(slots=True)
class Leaf:
    """A number or a name."""

    token: Token
    start: int


@dataclass(slots=True)
class Unary:
    """``+a`` or ``-a``."""

    sign: Token
    operand: object
    start: int


@dataclass(slots=True)
class Power:
    base: object
    exponent: object
    start: int


@dataclass(slots=True)
class Chain:
    """``first`` followed by ``(operator, term)`` pairs, all ``+``/``-`` or all ``*``/``/``."""

    kind: str  # "+" or "*"
    first: object
    rest: list[tuple[str, object]] = field(default_factory=list)
    start: int = 0


@dataclass(slots=True)
class Call:
    name: Token
    args: list
    start: int


_BINARY = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}
_SIGN = 3  # a sign binds more tightly than * and / but less than **


def build_tree(tokens: list[Token]):
    """The tree of tokens that ``check_grammar`` accepted (operands and operators alternate, brackets
    match, commas stand only in calls, a name before '(' is a call)."""
    operands: list[tuple[object, int]] = []  # (node, where it begins with its brackets)
    operators: list[tuple[str, Token, int]] = []  # (kind, token, operand count at a call's '(')

    def reduce() -> None:
        kind, token, _ = operators.pop()
        if kind == "sign":
            node, _ = operands.pop()
            operands.append((Unary(token, node, token.pos), token.pos))
            return
        right, _ = operands.pop()
        left, start = operands.pop()
        op = token.text
        if op == "**":
            node = Power(left, right, start)
        else:
            chain = "+" if op in "+-" else "*"
            # A chain on the left grows, bracketed or not, as Python's tree has it; one on the right is
            # a term of its own.
            node = left if isinstance(left, Chain) and left.kind == chain else Chain(chain, left)
            node.rest.append((op, right))
            node.start = start
        operands.append((node, start))

    def binds_first(op: str) -> bool:
        """Whether the operator on top of the stack takes its operands before the binary ``op``."""
        kind, token, _ = operators[-1]
        if kind == "sign":
            return _SIGN > _BINARY[op]
        if kind != "binary":
            return False
        return _BINARY[token.text] > _BINARY[op] or (_BINARY[token.text] == _BINARY[op] and op != "**")

    expect_operand = True
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if expect_operand:
            if (
                token.kind == "name"
                and i + 1 < len(tokens)
                and tokens[i + 1].text == "("
                and tokens[i + 1].kind == "op"
            ):
                operators.append(("call", token, len(operands)))
                i += 1  # its '('
            elif token.kind in ("num", "name"):
                operands.append((Leaf(token, token.pos), token.pos))
                expect_operand = False
            elif token.text == "(":
                operators.append(("bracket", token, 0))
            else:  # a sign
                operators.append(("sign", token, 0))
        elif token.text in (")", ","):
            while operators[-1][0] not in ("bracket", "call"):
                reduce()
            if token.text == ",":
                expect_operand = True
            else:
                kind, opening, count = operators.pop()
                if kind == "bracket":
                    node, _ = operands.pop()
                    operands.append((node, opening.pos))
                else:
                    args = [node for node, _ in operands[count:]]
                    del operands[count:]
                    operands.append((Call(opening, args, opening.pos), opening.pos))
        else:
            while operators and binds_first(token.text):
                reduce()
            operators.append(("binary", token, 0))
            expect_operand = True
        i += 1
    while operators:
        reduce()
    [(node, _)] = operands
    return node
