"""symgrad against Maxima on real ML expressions, whole process, and how the engine's cost grows.

    python benchmarks/engine.py [--runs N] [--skip-growth]

For each workload: the CPU seconds (user + system, the process and its children) of one `symgrad`
process and of one Maxima process doing the same work, medians of ``--runs`` runs, and their ratio.
Maxima is skipped with a message when it is not installed. Then a growth table, in-process: the
gradient and Hessian of the chained quadratic for n = 10 ... 160, the values of that Hessian's n²
entries at a point, and the derivative of sums of 10 ... 10,000 sin terms, each with the growth
exponent (the slope of log time over log size); and the way back from SymEngine for the largest of
those derivatives: calculus.convert.ToSympy against the conversion it replaced (sympy.sympify, then
xreplace with the caller's symbols), as a ratio.

Targets: at most 1.5x Maxima on every row (2x for the start-up row, a small derivative and its value);
the neural-net gradient under 1 s of CPU.
Ratios are measured in one run on one machine; a busy machine inflates both columns alike.
"""

from __future__ import annotations

import argparse
import math
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

SYMGRAD = [sys.executable, "-m", "symgrad"]
TARGET = 1.5


@dataclass(frozen=True)
class Workload:
    name: str
    symgrad: list[str]  # arguments after `symgrad`
    maxima: str  # a Maxima batch string doing the same work
    target: float = TARGET  # the most symgrad may take, as a multiple of Maxima


def neural_net() -> tuple[str, list[str], str]:
    """3 tanh units, a sigmoid output, 4 samples (XOR), 13 parameters: the squared-error loss."""
    samples = [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)]
    names = [f"w{j}{k}" for j in (1, 2, 3) for k in (1, 2)] + ["b1", "b2", "b3", "v1", "v2", "v3", "c"]
    terms = []
    for (x1, x2), y in samples:
        hidden = "+".join(f"v{j}*tanh(w{j}1*{x1}+w{j}2*{x2}+b{j})" for j in (1, 2, 3))
        terms.append(f"(1/(1+exp(-({hidden}+c)))-{y})**2")
    point = ",".join(f"{(-1) ** k * k / 10}" for k in range(1, len(names) + 1))
    return "+".join(terms), names, point


def _least_squares(n: int = 100) -> tuple[str, list[str], str]:
    """A quadratic model a*x**2+b*x+c fitted to n data points."""
    terms = [f"(a*{k / 10}**2+b*{k / 10}+c-{(k * 7) % 11})**2" for k in range(1, n + 1)]
    return "+".join(terms), ["a", "b", "c"], "1,1,1"


def rosenbrock(n: int) -> str:
    return "+".join(f"100*(x{2 * i}-x{2 * i - 1}**2)**2+(1-x{2 * i - 1})**2" for i in range(1, n // 2 + 1))


def chained_quadratic(n: int) -> str:
    return "+".join(f"(x{i}+x{i + 1}-1)**2+x{i}**2" for i in range(1, n))


def sin_sum(n: int) -> str:
    return "+".join(f"sin({k}*x)" for k in range(1, n + 1))


def _maxima_gradient(expr: str, names: list[str], point: str) -> str:
    at = ",".join(f"{v}={p}" for v, p in zip(names, point.split(",")))
    return f"f:{expr}$ g:map(lambda([v],diff(f,v)),[{','.join(names)}])$ print(float(subst([{at}],g)))$"


def _maxima_hessian(expr: str, n: int) -> str:
    names = ",".join(f"x{i}" for i in range(1, n + 1))
    return f"f:{expr}$ h:hessian(f,[{names}])$ print(h[1,1])$"


def workloads() -> list[Workload]:
    net, net_vars, net_point = neural_net()
    ls, ls_vars, ls_point = _least_squares()
    quartic = "x**4+y**4-4*x*y+1"
    return [
        Workload(
            "diff 3*x**3-5*x**2+2 and its value at x = 2 (start-up)",
            ["diff", "3*x**3-5*x**2+2", "--at", "x=2"],
            "g:diff(3*x^3-5*x^2+2,x)$ print(g, subst(x=2,g))$",
            target=2.0,
        ),
        Workload(
            "gradient of a tiny neural-net loss (13 parameters) at a point",
            ["grad", net, "--vars", ",".join(net_vars), "--at", net_point, "--timeout", "0"],
            _maxima_gradient(net, net_vars, net_point),
        ),
        Workload(
            "20th derivative of exp(sin(x))",
            ["diff", "exp(sin(x))", "--order", "20", "--timeout", "0"],
            "print(diff(exp(sin(x)),x,20))$",
        ),
        Workload(
            "gradient of a 100-term least-squares loss at a point",
            ["grad", ls, "--vars", ",".join(ls_vars), "--at", ls_point, "--timeout", "0"],
            _maxima_gradient(ls, ls_vars, ls_point),
        ),
        Workload(
            "Hessian of the extended Rosenbrock function, n = 40",
            ["hessian", rosenbrock(40), "--timeout", "0"],
            _maxima_hessian(rosenbrock(40), 40),
        ),
        Workload(
            "Hessian of a chained quadratic, n = 80",
            ["hessian", chained_quadratic(80), "--timeout", "0"],
            _maxima_hessian(chained_quadratic(80), 80),
        ),
        Workload(
            "critical points of a 2-variable quartic",
            ["critical", quartic, "--timeout", "0"],
            f"f:{quartic}$ print(solve([diff(f,x),diff(f,y)],[x,y]))$",
        ),
        Workload(
            "diff of a sum of 1,000 sin terms",
            ["diff", sin_sum(1000), "--timeout", "0"],
            f"print(length(diff({sin_sum(1000)},x)))$",
        ),
    ]


def cpu_seconds(command: list[str]) -> tuple[float, bool]:
    """CPU time (user + system) of one child process, and whether it succeeded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, done.returncode == 0


def median_cpu(command: list[str], runs: int) -> tuple[float, bool]:
    results = [cpu_seconds(command) for _ in range(runs)]
    return statistics.median(t for t, _ in results), all(ok for _, ok in results)


def compare(runs: int) -> None:
    maxima = shutil.which("maxima")
    if maxima is None:
        print("Maxima is not installed: its column is skipped (apt-get install maxima).")
    print(f"{'work':<66} {'symgrad':>8} {'Maxima':>8} {'ratio':>6} {'target':>6}")
    for work in workloads():
        ours, ok = median_cpu(SYMGRAD + work.symgrad, runs)
        line = f"{work.name:<66} {ours:8.2f}"
        if not ok:
            line += " (failed)"
        if maxima:
            theirs, _ = median_cpu([maxima, "--very-quiet", f"--batch-string={work.maxima}"], runs)
            line += f" {theirs:8.2f} {ours / theirs:5.1f}x {work.target:5.1f}x"
        print(line, flush=True)


def _timed(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def _growth(title: str, sizes: list[int], work, prepare=lambda n: n) -> None:
    """Time ``work(prepare(n))`` for each size n; only ``work`` is timed."""
    work(prepare(sizes[0]))  # untimed: first-use costs (imports, caches) are not growth
    times = []
    for n in sizes:
        given = prepare(n)
        times.append(_timed(lambda given=given: work(given)))
    print(f"\n{title}")
    for n, t in zip(sizes, times):
        print(f"  n = {n:>6}: {t:8.3f} s")
    exponent = math.log(times[-1] / max(times[0], 1e-6)) / math.log(sizes[-1] / sizes[0])
    print(f"  growth exponent ≈ {exponent:.2f}")


def growth() -> None:
    """In-process: the engine alone, through the calculus seam (no parser, so no length limit)."""
    import sympy

    from symgrad import calculus
    from symgrad.calculus.kinks import derivatives_at

    def chained(n):
        xs = sympy.symbols(f"x1:{n + 1}", real=True)
        return sum((xs[i] + xs[i + 1] - 1) ** 2 + xs[i] ** 2 for i in range(n - 1)), xs

    def hessian_at_a_point(n):  # the Hessian's entries and a point, for timing their values there
        f, xs = chained(n)
        paths = [[a, b] for a in xs for b in xs]
        point = {x: sympy.Integer((i * 5) % 7 - 3) for i, x in enumerate(xs)}
        return f, paths, point, sum(calculus.hessian(f, xs), ())

    def sin_diff(n):
        x = sympy.Symbol("x", real=True)
        calculus.derivative(sympy.Add(*(sympy.sin(k * x) for k in range(1, n + 1))), [x])

    _growth(
        "gradient of the chained quadratic", [10, 20, 40, 80, 160], lambda n: calculus.gradient(*chained(n))
    )
    _growth(
        "Hessian of the chained quadratic", [10, 20, 40, 80, 160], lambda n: calculus.hessian(*chained(n))
    )
    _growth(
        "values of the chained quadratic's n² Hessian entries at a point",
        [10, 20, 40, 80, 160],
        lambda given: derivatives_at(*given, bounded=True),
        hessian_at_a_point,
    )
    _growth("diff of a sum of n sin terms", [10, 100, 1000, 10000], sin_diff)


def way_back() -> None:
    """In-process: SymEngine's derivative of a sum of n sin terms brought back to SymPy, both ways."""
    import symengine
    import sympy

    from symgrad.calculus.convert import ToSympy

    x = sympy.Symbol("x", real=True)
    print("\nSymEngine's derivative of a sum of n sin terms back to SymPy: sympify + xreplace, ToSympy")
    for n in (1000, 10000):
        derivative = symengine.sympify(sin_sum(n)).diff(symengine.Symbol("x"))
        sympy.core.cache.clear_cache()  # neither way may reuse what the other built
        old = _timed(lambda d=derivative: sympy.sympify(d).xreplace({sympy.Symbol("x"): x}))
        sympy.core.cache.clear_cache()
        new = _timed(lambda d=derivative: ToSympy([x])(d))
        print(f"  n = {n:>6}: {old:8.3f} s {new:8.3f} s  {old / new:5.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-growth", action="store_true")
    arguments = parser.parse_args()
    compare(arguments.runs)
    if not arguments.skip_growth:
        growth()
        way_back()
    return 0


if __name__ == "__main__":
    sys.exit(main())
