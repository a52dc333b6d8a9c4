"""Building compiled float functions: lambdify against calculus.source, as ratios from one run.

    python benchmarks/compile.py [--calls N]

For each workload, the CPU seconds to build the function with the lambdify call compile_function
makes for small expressions, and with ``engine_function`` (SymEngine's cse and symgrad's printer),
which compile_function uses above ``LARGE`` nodes; then the cost of one call of each, and the
largest relative difference of their outputs at a point. The SymPy expressions (derivatives,
Hessians) are built first and not timed. Ratios are measured in one run on one machine; a busy
machine inflates both columns alike.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import sympy
from engine import neural_net  # this folder's engine benchmark: one neural-net loss for both

from symgrad import calculus
from symgrad.calculus.compile import LARGE
from symgrad.calculus.float_functions import float_functions
from symgrad.calculus.source import engine_function, node_count
from symgrad.expression.reading import read_expression


def workloads():
    """(name, expressions, variables, point), built once."""
    net, names, start = neural_net()
    names, point = ",".join(names), tuple(float(v) for v in start.split(","))
    f = read_expression(net, names)
    yield (
        "neural-net loss and its gradient (13 parameters)",
        (f.expr, calculus.gradient(f.expr, f.variables)),
        f.variables,
        point,
    )
    yield "neural-net loss's Hessian (13 x 13)", calculus.hessian(f.expr, f.variables), f.variables, point
    rosenbrock = "+".join(f"100*(x{2 * i}-x{2 * i - 1}**2)**2+(1-x{2 * i - 1})**2" for i in range(1, 21))
    r = read_expression(rosenbrock)
    yield (
        "extended Rosenbrock's Hessian, n = 40",
        calculus.hessian(r.expr, r.variables),
        r.variables,
        tuple(0.1 * k for k in range(1, 41)),
    )
    x = sympy.Symbol("x", real=True)
    waves = sympy.Add(*(sympy.sin(k * x) / k for k in range(1, 1001)))
    yield "a sum of 1,000 sin terms and its derivative", (waves, calculus.derivative(waves, [x])), [x], (0.3,)
    mixed = read_expression("sigmoid(x*y)**3*cbrt(x+y) + abs(x-y)*log(1+x**2) + max(x, y)*erf(x)")
    yield (
        "Hessian of a rough function (sigmoid, cbrt, abs, max, erf)",
        calculus.hessian(mixed.expr, mixed.variables),
        mixed.variables,
        (0.7, -0.4),
    )


def lambdified(exprs, variables):
    modules = [float_functions("math"), "math"]
    return sympy.lambdify([tuple(variables)], exprs, modules=modules, cse=True, dummify=True)


def cpu(work) -> tuple[float, object]:
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def per_call(function, point, calls: int) -> float:
    start = time.process_time()
    for _ in range(calls):
        function(point)
    return (time.process_time() - start) / calls


def flat(value):
    if isinstance(value, (tuple, list)):
        return [v for item in value for v in flat(item)]
    return [float(value)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000, help="calls timed for the cost of one call")
    calls = parser.parse_args().calls
    print(f"compile_function takes the engine above {LARGE} nodes\n")
    print(f"{'work':<60} {'nodes':>7} {'lambdify':>9} {'engine':>8} {'ratio':>6}", end="")
    print(f"   {'call ratio':>10}  {'diff':>7}")
    for name, exprs, variables, point in workloads():
        nodes = node_count(exprs, 10**9)
        theirs_s, theirs = cpu(lambda e=exprs, v=variables: lambdified(e, v))
        ours_s, ours = cpu(lambda e=exprs, v=variables: engine_function(e, v))
        call_ratio = per_call(theirs, point, calls) / per_call(ours, point, calls)
        diff = max(
            abs(a - b) / max(abs(b), 1e-300) if b != a else 0.0
            for a, b in zip(flat(ours(point)), flat(theirs(point)))
            if math.isfinite(b)
        )
        print(
            f"{name:<60} {nodes:>7} {theirs_s:8.3f}s {ours_s:7.3f}s {theirs_s / ours_s:5.0f}x   "
            f"{call_ratio:9.1f}x  {diff:7.1e}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
