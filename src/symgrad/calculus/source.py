"""Compiling large expressions without lambdify: SymEngine shares the subexpressions, this module prints.

lambdify spends seconds on a large expression (a 13-parameter neural-net loss with its gradient takes
0.3 s of CPU, its Hessian 3.4 s), almost all of it in SymPy's code printer. Here the expressions cross to
SymEngine, ``symengine.cse`` finds the shared subexpressions in C++, and Python source is printed
from SymEngine's tree: a line per shared subexpression, with generated names for the variables and
the temporaries, so that no user's name can meet another or a name of the namespace.

Every function, power and constant crosses as an opaque node of its kind, and each kind is printed
once, with placeholders, by the printer lambdify would use: ``sign(x)`` is
``(0.0 if _p0 == 0 else copysign(1, _p0))`` in the math module. The code runs in the namespace
lambdify would build, so values, NaNs and exceptions are lambdify's. Sums and products are printed
by lambdify's rules (``x/(y*z)``, ``(2/3)*x``) in SymEngine's order and grouping, so the last bits of
a result may differ; where two parts of an expression fail at one point, either may be the one that
raises; and at the ends of the float range a product may overflow to inf where lambdify's grouping
underflows to a division by zero (1/x**3 times 1/y**3 against 1/(x**3*y**3) at x = y = 1e-52).

>>> import sympy
>>> x, y = sympy.symbols("x y", real=True)
>>> f = engine_function((x * y + sympy.exp(x * y), (sympy.sign(x),)), [x, y])
>>> f((0.5, 2.0))
(3.718281828459045, (1.0,))
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Sequence

import symengine
import sympy
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.pycode import PythonCodePrinter

from symgrad.calculus.float_functions import float_functions

# A printed piece carries its precedence, as in SymPy's printers: it is put in parentheses where an
# operator binds at least as tightly.
_ADD, _MUL, _ATOM = PRECEDENCE["Add"], PRECEDENCE["Mul"], PRECEDENCE["Atom"]
_UNARY = (PRECEDENCE["Pow"] + PRECEDENCE["Mul"]) / 2  # where Python's unary minus binds
# Python refuses an expression nested in more than 200 brackets, and its compiler runs out of stack
# on a few thousand operators in a row: a piece nested deeper than this goes on a line of its own.
_DEPTH = 40
_SLOT = re.compile(r"\b_p(\d+)\b")
_LITERAL = re.compile(r"-?[0-9.]+(e[+-]?[0-9]+)?")


class Unsupported(Exception):
    """An expression this module does not compile (a Piecewise, a symbol that is not a variable...)."""


def node_count(exprs, limit: int) -> int:
    """The number of nodes in ``exprs`` (nested tuples and lists of expressions), up to ``limit + 1``."""
    count = 0
    stack = [exprs]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, (tuple, list)):
            stack.extend(item)
        elif isinstance(item, sympy.Basic):
            for _ in sympy.preorder_traversal(item):
                count += 1
                if count > limit:
                    break
        else:
            count += 1
    return count


def engine_function(exprs, variables: Sequence, backend: str = "math") -> Callable:
    """A float function of one tuple argument that returns ``exprs`` (nested tuples and lists allowed).

    ``backend`` is ``"math"`` or ``"numpy"``, as for ``compile_function``. Raises ``Unsupported`` for
    what this module does not print, which lambdify may still take. The printed code is the
    function's ``source`` attribute.
    """
    leaves: list = []
    shape = _shape(exprs, leaves)
    printer = _Printer(backend)
    convert = _Converter(variables, printer.rewritten)
    printer.kinds = convert.kinds
    try:
        replacements, reduced = symengine.cse([convert(leaf) for leaf in leaves])
        for symbol, expr in replacements:
            printer.define(symbol, expr)
        outputs = iter([printer.piece(expr)[0] for expr in reduced])
    except RecursionError:  # both walks recurse, as lambdify's printer does
        raise Unsupported("the expression is nested too deeply") from None
    source = "\n".join(
        [
            "def _compiled(_point):",
            f"    [{', '.join(f'_a{i}' for i in range(len(variables)))}] = _point",
            *printer.lines,
            f"    return {_fill(shape, outputs)}",
        ]
    )
    namespace = printer.namespace()
    exec(compile(source, "<symgrad compiled>", "exec"), namespace)  # the source printed above
    function = namespace["_compiled"]
    function.source = source
    return function


def _shape(exprs, leaves: list):
    """The nesting of ``exprs``, each expression replaced by None and appended to ``leaves``."""
    if isinstance(exprs, (tuple, list)):
        return type(exprs)(_shape(item, leaves) for item in exprs)
    if isinstance(exprs, int) and not isinstance(exprs, bool):
        exprs = sympy.Integer(exprs)
    elif isinstance(exprs, float):
        exprs = sympy.Float(exprs)
    if not isinstance(exprs, sympy.Expr):
        raise Unsupported(f"{type(exprs).__name__} is not an expression")
    leaves.append(exprs)
    return None


def _fill(shape, outputs) -> str:
    if shape is None:
        return next(outputs)
    items = [_fill(item, outputs) for item in shape]
    if isinstance(shape, list):
        return f"[{', '.join(items)}]"
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


class _Converter:
    """SymPy to SymEngine: the variables renamed, sums and products SymEngine's own, the rest opaque.

    A function or power becomes a SymEngine function named after its kind (its SymPy class and its
    number arguments, such as the 1 of polygamma(1, x) or the -2 of x**(-2)) applied to its other
    arguments; a kind without other arguments (pi, sqrt(2)) becomes a symbol. SymEngine then merges
    nothing SymPy kept apart (it would turn x**y/x into x**(y - 1), which is inf at x = 0 where
    lambdify's code gives NaN), and cse still shares repeated calls. ``kinds`` maps each kind's
    name to its SymPy template, with placeholders _p0, _p1, ... for the other arguments.

    A function the printer writes as another (acot(u) as atan(1/u)) is converted in that form, built
    from its own arguments, as the printer builds it: atan(1/(1/x)) is atan(x), which has a value at 0.
    """

    def __init__(self, variables: Sequence, rewritten: Callable):
        self.rewritten = rewritten
        self.done: dict = {}
        for index, variable in enumerate(variables):
            if not isinstance(variable, sympy.Symbol) or variable in self.done:
                raise Unsupported("the variables are not distinct symbols")
            self.done[variable] = symengine.Symbol(f"_a{index}")
        self.kinds: dict[str, sympy.Expr] = {}
        self._names: dict = {}

    def __call__(self, expr):
        try:
            return self.done[expr]
        except KeyError:
            pass
        result = self.done[expr] = self._convert(expr)
        return result

    def _convert(self, expr):
        if expr.is_Symbol:
            raise Unsupported(f"{expr} is not one of the variables")
        if expr.is_Integer:
            return symengine.Integer(int(expr))
        if expr.is_Rational:
            return symengine.Rational(int(expr.p), int(expr.q))
        if expr.is_Float:
            return symengine.RealDouble(float(expr))
        if expr.is_Add:
            return symengine.Add(*map(self, expr.args))
        if expr.is_Mul:
            return symengine.Mul(*map(self, expr.args))
        if expr.is_Function and (form := self.rewritten(expr)) is not None:
            return self(form)
        if (expr.is_Function or expr.is_Pow) and all(isinstance(arg, sympy.Expr) for arg in expr.args):
            name = self._kind((expr.func, tuple(arg if arg.is_Number else None for arg in expr.args)))
            arguments = [self(arg) for arg in expr.args if not arg.is_Number]
            return symengine.function_symbol(name, *arguments) if arguments else symengine.Symbol(name)
        if expr.is_Atom and expr.is_number:  # pi, E, EulerGamma, I
            return symengine.Symbol(self._kind(expr))
        raise Unsupported(f"{type(expr).__name__} is not compiled here")

    def _kind(self, key) -> str:
        if key not in self._names:
            name = self._names[key] = f"_k{len(self._names)}"
            self.kinds[name] = _template(key)
        return self._names[key]


def _template(key) -> sympy.Expr:
    """The expression a kind stands for, with placeholders for its arguments that are not numbers."""
    if isinstance(key, sympy.Basic):
        return key
    func, pattern = key
    slots = iter(sympy.Symbol(f"_p{i}") for i in range(len(pattern)))
    arguments = [next(slots) if arg is None else arg for arg in pattern]
    try:
        return func(*arguments, evaluate=False)
    except Exception as error:  # any class may refuse placeholders; lambdify is the way for those
        raise Unsupported(f"{func} with placeholders: {error}") from None


class _Template:
    """A printed kind: its text, precedence and depth, the names it calls, how to fill its slots."""

    def __init__(self, text: str):
        if "\n" in text or "#" in text:  # a printer's "not supported" comment
            raise Unsupported(f"the printer cannot print {text.splitlines()[0]}")
        self.text = text
        tree = ast.parse(text, mode="eval")
        self.prec = _ATOM if _enclosed(text) else _binding(tree.body)
        bare, exposed = set(), set()  # slots only ever a call's argument or a list's item, and the rest
        self.names = set()
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Name) and _SLOT.fullmatch(child.id):
                    called = isinstance(node, ast.Call) and child is node.func
                    argument = isinstance(node, (ast.Call, ast.List)) and not called
                    (bare if argument else exposed).add(int(child.id[2:]))
            if isinstance(node, ast.Name) and not _SLOT.fullmatch(node.id):
                self.names.add(node.id)
        self.bare = bare - exposed
        self.uses = {int(i): len(re.findall(rf"\b_p{i}\b", text)) for i in _SLOT.findall(text)}
        self.depth = 1 + max((_nesting(text, m.start()) for m in _SLOT.finditer(text)), default=0)

    def fill(self, pieces: list) -> str:
        def argument(match):
            index = int(match.group(1))
            text, prec, _ = pieces[index]
            return text if index in self.bare or prec >= _ATOM else f"({text})"

        return _SLOT.sub(argument, self.text)


def _binding(node: ast.expr) -> float:
    """The precedence of Python code whose outermost operation is ``node`` (1/_p0 binds as a product)."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            return PRECEDENCE["Pow"]
        return _MUL if isinstance(node.op, (ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)) else _ADD
    if isinstance(node, ast.UnaryOp):
        return _ADD  # -x, as SymPy ranks a negative product
    if isinstance(node, (ast.Call, ast.Name, ast.Attribute, ast.Subscript, ast.List, ast.Tuple)):
        return _ATOM
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)):
        return _ATOM
    return 0  # a comparison or a conditional: parentheses everywhere


def _nesting(text: str, end: int) -> int:
    """How many brackets are open at ``end`` in ``text``."""
    head = text[:end]
    return sum(head.count(c) for c in "([") - sum(head.count(c) for c in ")]")


def _enclosed(text: str) -> bool:
    """Whether ``text`` is one call or one bracketed piece, which binds like an atom."""
    if text.startswith("("):
        start = 0
    elif re.match(r"[A-Za-z_][\w.]*\(", text):
        start = text.index("(")
    else:
        return False
    depth = 0
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index == len(text) - 1
    return False


class _Printer:
    """Python source from SymEngine trees: the lines of temporaries, and the names the source needs."""

    def __init__(self, backend: str):
        self.backend = backend
        self.functions = float_functions(backend)
        settings = {
            "fully_qualified_modules": False,
            "inline": True,
            "allow_unknown_functions": True,
            "user_functions": {name: name for name in self.functions},
        }
        # The printer lambdify picks for its modules [float functions, "math"] or [..., "numpy"].
        self.sympy_printer = (NumPyPrinter if backend == "numpy" else PythonCodePrinter)(settings)
        self.kinds: dict[str, sympy.Expr] = {}  # the converter's, filled as it converts
        self.templates: dict = {}
        self.names: dict = {}  # cse's symbol -> its name in the source
        self.lines: list[str] = []

    def rewritten(self, expr) -> sympy.Expr | None:
        """The form the printer writes ``expr`` in when it writes it as other functions, else None.

        The same test as CodePrinter._print_Function's: a function printed by that method (no method
        of its own) that the printer does not know but may rewrite into functions it knows.
        """
        printer = self.sympy_printer
        method = next((c for c in type(expr).__mro__ if hasattr(printer, f"_print_{c.__name__}")), None)
        name, forms = expr.func.__name__, getattr(printer, "_rewriteable_functions", {})
        if method is not sympy.Function or name in printer.known_functions or name not in forms:
            return None
        target, required = forms[name]
        if not (printer._can_print(target) and all(printer._can_print(f) for f in required)):
            return None
        return expr.rewrite(target)

    def define(self, symbol, expr) -> None:
        """A line ``_tN = expr`` for one of cse's shared subexpressions.

        A shared y**(-2) is printed as a power, y**(-2), as lambdify prints what SymPy's cse shares:
        a tiny y overflows there, where y**2 in a denominator (x/y**2) would divide by zero.
        """
        text, _, _ = self.piece(expr)
        self.names[symbol] = self._line(text)

    def _line(self, text: str) -> str:
        name = f"_t{len(self.lines)}"
        self.lines.append(f"    {name} = {text}")
        return name

    def piece(self, expr) -> tuple[str, float, int]:
        """``expr`` printed: its text, its precedence and how deeply it nests."""
        text, prec, depth = self._print(expr)
        if depth > _DEPTH:
            return self._line(text), _ATOM, 0
        return text, prec, depth

    def _print(self, expr) -> tuple[str, float, int]:
        if isinstance(expr, symengine.Symbol):
            name = self.names.get(expr)
            if name is not None:
                return name, _ATOM, 0
            name = str(expr)
            if name.startswith("_a"):
                return name, _ATOM, 0
            return self._template(self.kinds[name], [])
        if isinstance(expr, symengine.Number):
            return self._number(expr)
        if isinstance(expr, symengine.Add):
            return self._add(expr)
        if isinstance(expr, symengine.Mul):
            return self._mul(expr)
        if isinstance(expr, symengine.FunctionSymbol):
            return self._template(self.kinds[expr.get_name()], [self.piece(arg) for arg in expr.args])
        raise Unsupported(f"SymEngine gave {type(expr).__name__}, which is not printed here")

    def _number(self, number) -> tuple[str, float, int]:
        # Integers and rationals as SymPy's printers write them (2, -3, 2/3), without their cost.
        if isinstance(number, symengine.Integer):
            return str(int(number)), _ADD if number.is_negative else _ATOM, 0
        if isinstance(number, symengine.Rational):
            return f"{int(number.p)}/{int(number.q)}", _ADD if number.is_negative else _MUL, 0
        if not isinstance(number, symengine.RealDouble):
            raise Unsupported(f"SymEngine gave the number {number}, which is not printed here")
        value = sympy.Float(float(number))  # printed with 15 digits, as lambdify prints a Float
        text = self.sympy_printer.doprint(value)
        if not _LITERAL.fullmatch(text):  # inf or nan, which would need a name
            raise Unsupported(f"the number {text} is not printed here")
        return text, precedence(value), 0

    def _template(self, expr: sympy.Expr, pieces: list) -> tuple[str, float, int]:
        """``expr``, a kind's template, printed with ``pieces`` in its slots."""
        template = self.templates.get(expr)
        if template is None:
            try:
                text = self.sympy_printer.doprint(expr)
            except Exception as error:  # the printer refuses what lambdify would refuse
                raise Unsupported(f"cannot print {expr}: {error}") from None
            template = self.templates[expr] = _Template(text)
        for index, count in template.uses.items():
            text, prec, _ = pieces[index]
            if count > 1 and prec < _ATOM:  # an argument the form uses twice is computed once
                pieces[index] = (self._line(text), _ATOM, 0)
        depth = template.depth + max((depth for _, _, depth in pieces), default=0)
        return template.fill(pieces), template.prec, depth

    def _add(self, expr) -> tuple[str, float, int]:
        # As SymPy's _print_Add: a term printed with a leading minus is subtracted.
        terms = []
        for term in expr.args:
            text, prec, depth = self.piece(term)
            sign = "+"
            if text.startswith("-"):
                sign, text = "-", text[1:]
            if prec < _ADD:
                text = f"({text})"
            terms.append((sign, text, depth))
        sign, text, depth = terms[0]
        text = text if sign == "+" else f"-{text}"
        for sign, term, term_depth in terms[1:]:
            if max(depth, term_depth) + 1 > _DEPTH:
                text, depth = self._line(text), 0
            text, depth = f"{text} {sign} {term}", max(depth, term_depth) + 1
        return text, _ADD, depth

    def _mul(self, expr) -> tuple[str, float, int]:
        factors = list(expr.args)
        sign = ""
        if isinstance(factors[0], symengine.Number):
            coefficient = factors.pop(0)
            if coefficient.is_negative:
                sign, coefficient = "-", -coefficient
            if not (isinstance(coefficient, symengine.Integer) and coefficient == 1):
                factors.insert(0, coefficient)
        return self._fraction(sign, factors)

    def _fraction(self, sign: str, factors: list) -> tuple[str, float, int]:
        # As SymPy's CodePrinter._print_Mul: the sign in front, the factors with a negative rational
        # exponent under one division, a rational coefficient in parentheses ((2/3)*x).
        above, below = [], []
        for factor in factors:
            denominator = self._denominator(factor)
            if denominator is None:
                above.append(self.piece(factor))
            else:
                below.append(denominator)
        above = above or [("1", _ATOM, 0)]
        level = _UNARY if len(above) == 1 and sign else _MUL
        text, depth = self._product([_parenthesize(piece, level) for piece in above])
        text = sign + text
        if below:
            under, under_depth = self._product([_parenthesize(piece, _MUL) for piece in below])
            if len(below) > 1:
                under = f"({under})"
            if max(depth, under_depth) + 1 > _DEPTH:
                text, depth = self._line(text), 0
            text, depth = f"{text}/{under}", max(depth, under_depth) + 1
        return text, _ADD if sign else _MUL, depth

    def _denominator(self, factor) -> tuple[str, float, int] | None:
        """For a power with a negative rational exponent, y**(-2), the piece to divide by: y**2."""
        if isinstance(factor, symengine.FunctionSymbol):
            kind = self.kinds[factor.get_name()]
        elif isinstance(factor, symengine.Symbol) and factor not in self.names:
            kind = self.kinds.get(str(factor))
        else:
            return None
        if kind is None or not (kind.is_Pow and kind.exp.is_Rational and kind.exp.is_negative):
            return None
        pieces = [self.piece(arg) for arg in factor.args]
        if kind.exp == -1 and kind.base.is_Symbol:  # the placeholder of y in y**(-1)
            return pieces[0]
        positive = kind.base if kind.exp == -1 else sympy.Pow(kind.base, -kind.exp, evaluate=False)
        return self._template(positive, pieces)

    def _product(self, pieces: list[tuple[str, int]]) -> tuple[str, int]:
        text, depth = pieces[0]
        for piece, piece_depth in pieces[1:]:
            if max(depth, piece_depth) + 1 > _DEPTH:
                text, depth = self._line(text), 0
            text, depth = f"{text}*{piece}", max(depth, piece_depth) + 1
        return text, depth

    def namespace(self) -> dict:
        """What the source calls, resolved as lambdify resolves it, and no builtins beyond those."""
        needed = set().union(*(template.names for template in self.templates.values()))
        found = _lambdify_namespace(self.backend, self.functions, self.sympy_printer)
        namespace: dict = {"__builtins__": {}}
        for name in needed:
            if name in found:
                namespace[name] = found[name]
            elif hasattr(builtins, name):  # abs, max, min
                namespace[name] = getattr(builtins, name)
        return namespace


def _parenthesize(piece: tuple[str, float, int], level: float) -> tuple[str, int]:
    text, prec, depth = piece
    return (f"({text})", depth + 1) if prec <= level else (text, depth)


def _lambdify_namespace(backend: str, functions: dict, printer) -> dict:
    """The globals lambdify gives its code for these modules, with the imports ``printer`` asked for."""
    probe = sympy.lambdify([], sympy.Integer(0), modules=[functions, backend], printer=printer)
    return probe.__globals__
