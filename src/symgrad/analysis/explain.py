"""Derivations a learner can follow: which rule gives each derivative, step by step.

A small engine in the spirit of micrograd: one short rule function per kind of SymPy node, each
returning a ``Step`` with the sub-steps it used. SymPy stores ``x/y`` as ``x*y**-1`` and ``a-b`` as
``a+(-1)*b``, so products are read back as constant multiples and quotients where a learner would.
The result of every derivation is checked against ``calculus.derivative`` before it is returned.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> step = derivation(sympy.sin(x**2), x)
>>> step.rule, step.inner, step.substeps[0].expression, step.derivative
('chain', x**2, sin(u), 2*x*cos(x**2))
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sympy

from symgrad import calculus
from symgrad.errors import InputError, MathError, SymgradError
from symgrad.expression.functions import real_cbrt, sigmoid
from symgrad.expression.notation import expand, read_statement
from symgrad.expression.parse import parse_expression
from symgrad.expression.printing import to_text
from symgrad.expression.readable import readable


@dataclass(frozen=True)
class Step:
    """One rule applied: d/d``variable`` of ``expression`` is ``derivative``, from ``substeps``."""

    rule: str
    expression: object  # sympy.Expr
    variable: object  # sympy.Symbol differentiated by
    derivative: object  # sympy.Expr
    substeps: tuple[Step, ...] = ()
    note: str = ""  # how the rule reads, where it is not a one-line formula
    inner: object = None  # for the chain rule: the inner function u (substeps[0] is d/du outer)


@dataclass(frozen=True)
class Explanation:
    """The derivation of one (partial) derivative; ``held_constant`` are the other variables."""

    variable: object  # sympy.Symbol
    held_constant: tuple  # of sympy.Symbol
    step: Step  # the rules applied to the expression as typed, with the result they give
    tidied: object = None  # sympy.Expr: what diff prints, when tidying up changes the rules' result

    @property
    def result(self):
        """The derivative as diff and grad print it: the rules' result, tidied up."""
        return self.step.derivative if self.tidied is None else self.tidied


def explain_derivative(result) -> Explanation:
    """The derivation behind a ``DerivativeResult`` of order one."""
    if result.order != 1:
        raise InputError("--explain shows one differentiation: use it without --order or a second --wrt")
    (variable,) = result.wrt
    function = result.function
    if function.chain and function.written is not None:
        step = through_names(function.written, variable, function.chain, function.name)
        _check_equal(step.derivative, result.derivative, function.expr)
        step = Step(step.rule, step.expression, variable, result.derivative, step.substeps, step.note)
        return Explanation(variable, tuple(v for v in function.variables if v != variable), step)
    return _explanation(as_typed(function), variable, result.derivative, function.variables)


def explain_gradient(result) -> tuple[Explanation, ...]:
    """One derivation per partial derivative of a ``GradientResult``."""
    variables = result.function.variables
    typed = as_typed(result.function)
    return tuple(
        _explanation(typed, v, component, variables) for v, component in zip(variables, result.gradient)
    )


def as_typed(function):
    """The expression as it was typed, 5·(20 − 2x) rather than SymPy's 100 − 10x, for the rules to read.

    Where reading it so fails or gives another expression, SymPy's usual form.
    """
    callables = frozenset(d.name for d in function.definitions if d.parameters)
    try:
        with sympy.evaluate(False):
            typed = expand(
                parse_expression(read_statement(function.text).body, callables), function.definitions
            )
        typed = _settle(typed)
    except (SymgradError, TypeError, ValueError, AttributeError):
        return function.expr
    return typed if typed.doit() == function.expr else function.expr


def _settle(e):
    """Undo what reading without evaluation adds to what was typed: 1·x⁻¹ is 1/x, (x²)⁻¹ is x⁻².

    Functions are evaluated at their own node (log(x, 2) is log(x)/log(2)); sums and products stay
    as typed.
    """
    if not e.args or not isinstance(e, sympy.Expr):
        return e
    args = [_settle(a) for a in e.args]
    if isinstance(e, sympy.Mul):
        args = [a for a in args if a != 1] or [sympy.Integer(1)]
        return args[0] if len(args) == 1 else sympy.Mul(*args, evaluate=False)
    if isinstance(e, sympy.Add):
        return sympy.Add(*args, evaluate=False)
    if isinstance(e, sympy.Pow):
        base, exponent = args
        if isinstance(base, sympy.Pow) and exponent == -1 and base.exp.is_number:
            return sympy.Pow(base.base, -base.exp, evaluate=False)
        return sympy.Pow(base, exponent, evaluate=False)
    with sympy.evaluate(True):
        return e.func(*args)


def _explanation(expr, variable, expected, variables) -> Explanation:
    step = derivation(expr, variable)
    _check_equal(step.derivative, expected, expr)
    # The steps keep the form the rules give; tidying it into what diff prints is a step of its own.
    tidied = None if step.derivative == expected else expected
    held = tuple(v for v in variables if v != variable)
    return Explanation(variable, held, step, tidied)


def through_names(written, x, definitions, name: str = "f") -> Step:
    """The chain rule through named quantities: ∂q/∂T = ∂q/∂t · ∂t/∂T = 5 · (−2) = −10.

    ``written`` uses the names ``definitions`` give (``--let t=20-2*T``); each name it uses is one
    link: the derivative by the name, times the name's own derivative by ``x`` (found the same way).
    A function given by ``--let "g(u)=..."`` is put in first, and its body explained by the usual rules.
    """
    quantities = {d.symbol: d for d in definitions if not d.parameters}
    functions = [d for d in definitions if d.parameters]
    written = expand(written, functions)
    if written in quantities:  # the expression is a name: its definition's links are its own
        inner = through_names(quantities[written].body, x, definitions, written.name)
        return Step(inner.rule, written, x, inner.derivative, inner.substeps, inner.note)
    names = [s for s in sorted(written.free_symbols, key=lambda s: s.name) if s in quantities]
    if not names:  # the end of the chain: the usual rules
        return derivation(expand(written, definitions), x)
    whole = expand(written, definitions)
    links, terms, factors = [], [], []
    for link in names:
        outer = derivation(written, link)
        inner = through_names(quantities[link].body, x, definitions, link.name)
        links += [outer, inner]
        terms.append(expand(outer.derivative, definitions) * inner.derivative)
        factors.append(
            (f"∂{name}/∂{link} · ∂{link}/∂{x}", f"{_factor(outer.derivative)} · {_factor(inner.derivative)}")
        )
    if x in written.free_symbols:  # x also appears directly, beside the names
        direct = derivation(written, x)
        links.append(direct)
        terms.append(expand(direct.derivative, definitions))
        factors.append((f"∂{name}/∂{x}", _factor(direct.derivative)))
    result = calculus.tidy(sympy.Add(*terms)) if whole.has(x) else sympy.Integer(0)
    # With a direct term the left side is the total derivative d/dx, the right side's ∂ partial ones.
    d = "d" if x in written.free_symbols else "∂"
    formula = " + ".join(f for f, _ in factors)
    values = " + ".join(v for _, v in factors)
    note = f"{d}{name}/{d}{x} = {formula} = {values} = {readable(result)}"
    return Step("chain through names", written, x, result, tuple(links), note)


def _factor(expr, power: bool = False) -> str:
    """``expr`` as a factor: in parentheses when a sum or negative (or, as a divisor, a product)."""
    text = readable(expr)
    wrap = text.startswith("−") or isinstance(expr, sympy.Add) or (power and isinstance(expr, sympy.Mul))
    return f"({text})" if wrap else text


def derivation(expr, x) -> Step:
    """The step tree for d/dx ``expr``, choosing the rule by the node's type."""
    if not expr.has(x):
        return Step("constant", expr, x, sympy.Integer(0))
    if expr == x:
        return Step("variable", expr, x, sympy.Integer(1))
    if isinstance(expr, sympy.Add):
        return _sum(expr, x)
    if isinstance(expr, sympy.Mul):
        return _product_like(expr, x)
    if isinstance(expr, sympy.Pow):
        return _power_like(expr, x)
    if isinstance(expr, (sympy.Max, sympy.Min)):
        return _piecewise(expr, x)
    if isinstance(expr, sympy.Function) and len(expr.args) == 1:
        return _function(expr, x)
    return _known(expr, x)


def _sum(expr, x) -> Step:
    parts = tuple(derivation(term, x) for term in expr.as_ordered_terms())
    return Step("sum", expr, x, sum(p.derivative for p in parts), parts)


def _product_like(expr, x) -> Step:
    constant, rest = expr.as_independent(x, as_Add=False)
    if constant != 1:
        inner = derivation(rest, x)
        return Step("constant multiple", expr, x, constant * inner.derivative, (inner,))
    denominators = [f.base**-f.exp for f in expr.args if f.is_Pow and f.exp.is_number and f.exp.is_negative]
    if denominators:
        numerators = [f for f in expr.args if not (f.is_Pow and f.exp.is_number and f.exp.is_negative)]
        return _quotient(expr, sympy.Mul(*numerators), sympy.Mul(*denominators), x)
    return _product(expr, x)


def _quotient(expr, num, den, x) -> Step:
    top, bottom = derivation(num, x), derivation(den, x)
    result = (top.derivative * den - num * bottom.derivative) / den**2
    filled = (
        f"({_factor(top.derivative)}·{_factor(den)} − {_factor(num)}·{_factor(bottom.derivative)})"
        f"/{_factor(den**2, power=True)}"
    )
    note = f"(u/v)′ = (u′v − uv′)/v² with u = {readable(num)}, v = {readable(den)}: {filled}"
    return Step("quotient", expr, x, result, (top, bottom), note)


def _product(expr, x) -> Step:
    factors = expr.as_ordered_factors()
    parts = tuple(derivation(f, x) for f in factors)
    terms = [
        part.derivative * sympy.Mul(*(f for j, f in enumerate(factors) if j != i))
        for i, part in enumerate(parts)
    ]
    names = "uvwabc"[: len(factors)] if len(factors) <= 6 else None
    filled = " + ".join(
        "·".join(_factor(part.derivative if j == i else f) for j, f in enumerate(factors))
        for i, part in enumerate(parts)
    )
    if names is None:
        note = f"the derivative of each factor times the others: {filled}"
    else:
        rule = " + ".join(
            "".join(n + ("′" if j == i else "") for j, n in enumerate(names)) for i in range(len(names))
        )
        pieces = ", ".join(f"{n} = {readable(f)}" for n, f in zip(names, factors))
        note = f"({names})′ = {rule} with {pieces}: {filled}"
    return Step("product", expr, x, sympy.Add(*terms), parts, note)


def _power_like(expr, x) -> Step:
    base, exponent = expr.base, expr.exp
    if not exponent.has(x):
        return _chain(expr, base, x, "power", lambda u: u**exponent, lambda u: exponent * u ** (exponent - 1))
    if not base.has(x):
        return _chain(
            expr, exponent, x, "exponential", lambda u: base**u, lambda u: base**u * sympy.log(base)
        )
    # f**g = exp(g·ln f): logarithmic differentiation gives f**g·(g'·ln f + g·f'/f).
    f, g = derivation(base, x), derivation(exponent, x)
    result = expr * (g.derivative * sympy.log(base) + exponent * f.derivative / base)
    note = "f**g = exp(g·ln f), so (f**g)' = f**g·(g'·ln f + g·f'/f)"
    return Step("general power", expr, x, result, (f, g), note)


def _chain(expr, inner, x, rule, outer, outer_derivative) -> Step:
    """Apply ``rule`` directly when ``inner`` is ``x``, else the chain rule through u = inner."""
    if inner == x:
        return Step(rule, expr, x, outer_derivative(x))
    u = _fresh_symbol(expr)
    first = Step(rule, outer(u), u, outer_derivative(u))
    second = derivation(inner, x)
    result = outer_derivative(inner) * second.derivative
    return Step("chain", expr, x, result, (first, second), inner=inner)


def _fresh_symbol(expr):
    taken = {s.name for s in expr.free_symbols}
    name = next(n for n in ("u", "v", "w", *(f"u{i}" for i in range(1, 1000))) if n not in taken)
    return sympy.Symbol(name, real=True)


def _root(u):
    return sympy.sqrt(1 - u**2)


# Function -> (rule, derivative of f(u) in u): the tables a learner memorises.
_OUTER_RULES = {
    sympy.exp: ("exponential", sympy.exp),
    sympy.log: ("logarithm", lambda u: 1 / u),
    sympy.sin: ("trigonometric", sympy.cos),
    sympy.cos: ("trigonometric", lambda u: -sympy.sin(u)),
    sympy.tan: ("trigonometric", lambda u: sympy.sec(u) ** 2),
    sympy.sec: ("trigonometric", lambda u: sympy.sec(u) * sympy.tan(u)),
    sympy.csc: ("trigonometric", lambda u: -sympy.csc(u) * sympy.cot(u)),
    sympy.cot: ("trigonometric", lambda u: -(sympy.csc(u) ** 2)),
    sympy.asin: ("inverse trigonometric", lambda u: 1 / _root(u)),
    sympy.acos: ("inverse trigonometric", lambda u: -1 / _root(u)),
    sympy.atan: ("inverse trigonometric", lambda u: 1 / (1 + u**2)),
    sympy.acot: ("inverse trigonometric", lambda u: -1 / (1 + u**2)),
    sympy.asec: ("inverse trigonometric", lambda u: 1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1))),
    sympy.acsc: ("inverse trigonometric", lambda u: -1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1))),
    sympy.sinh: ("hyperbolic", sympy.cosh),
    sympy.cosh: ("hyperbolic", sympy.sinh),
    sympy.tanh: ("hyperbolic", lambda u: 1 - sympy.tanh(u) ** 2),
    sympy.asinh: ("inverse hyperbolic", lambda u: 1 / sympy.sqrt(u**2 + 1)),
    sympy.acosh: ("inverse hyperbolic", lambda u: 1 / sympy.sqrt(u**2 - 1)),
    sympy.atanh: ("inverse hyperbolic", lambda u: 1 / (1 - u**2)),
    sympy.Abs: ("absolute value", sympy.sign),
    real_cbrt(): ("power", lambda u: 1 / (3 * real_cbrt()(u) ** 2)),  # cbrt(u) = u^(1/3)
    sigmoid: ("sigmoid", lambda u: sigmoid(u) * (1 - sigmoid(u))),
}


def _function(expr, x) -> Step:
    rule, outer_derivative = _OUTER_RULES.get(expr.func, ("known result", None))
    if outer_derivative is None:
        t = sympy.Dummy("t", real=True)
        known = calculus.derivative(expr.func(t), [t])

        def outer_derivative(u):
            return known.xreplace({t: u})

    return _chain(expr, expr.args[0], x, rule, expr.func, outer_derivative)


def _piecewise(expr, x) -> Step:
    """max/min (and relu = max(0, u)): the derivative of whichever argument is selected."""
    parts, terms = [], []
    for i, arg in enumerate(expr.args, start=1):
        if arg.has(x):
            part = derivation(arg, x)
            parts.append(part)
            terms.append(expr.fdiff(i) * part.derivative)
    name = expr.func.__name__.lower()
    note = f"{name}(a, b)' is a' where {name} picks a, b' where it picks b (Heaviside says which)"
    return Step("piecewise", expr, x, sympy.Add(*terms), tuple(parts), note)


def _known(expr, x) -> Step:
    return Step("known result", expr, x, calculus.derivative(expr, [x]))


# Where the two forms are compared: each variable is drawn from one of these ranges, which
# between them reach the domains of log, sqrt, asin, acosh and the like.
_SAMPLE_RANGES = ((-0.9, 0.9), (0.1, 0.9), (1.1, 3.0), (-3.0, -1.1), (3.0, 8.0))


def _check_equal(derived, expected, expr) -> None:
    """Raise MathError unless the derivation's result equals the engine's derivative."""
    if derived == expected:
        return
    agree = disagree = 0
    rng = random.Random(0)
    symbols = sorted(derived.free_symbols | expected.free_symbols | expr.free_symbols, key=lambda s: s.name)
    for _ in range(40):
        point = {s: rng.uniform(*rng.choice(_SAMPLE_RANGES)) for s in symbols}
        # Only inside the function's real domain: outside it the two forms may pick other branches.
        a, b = _real_value(derived, point), _real_value(expected, point)
        if a is None or b is None or _real_value(expr, point) is None:
            continue
        if abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)):
            agree += 1
        else:
            disagree += 1
        if agree >= 6:
            break
    if disagree == 0 and (agree >= 3 or (derived - expected).equals(0) is not False and agree):
        return
    raise MathError(
        f"the step-by-step derivation of {to_text(expr)} does not match its derivative; please report it"
    )


def _real_value(expr, point) -> float | None:
    """A float value at ``point``, or None where there is none (outside the domain, a pole)."""
    try:
        value = complex(expr.xreplace({s: sympy.Float(v, 30) for s, v in point.items()}).evalf(20))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if value != value or abs(value) == float("inf") or abs(value.imag) > 1e-12 * max(1.0, abs(value)):
        return None
    return value.real
