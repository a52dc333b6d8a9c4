"""The cost of descend's verdict on a 100-term least-squares loss, as ratios to baselines in the same run.

    python benchmarks/verdict.py [--runs N]

The loss is benchmarks/engine.py's (a*x**2+b*x+c fitted to 100 points), descended from a=b=c=1 by
sgd: with lr=0.1 the run diverges and the verdict asks whether f falls without bound along the path
(a limit); with lr=2e-6 it stops short and the verdict names the nearest critical point. Each verdict
is timed (best of ``--runs``, SymPy's cache emptied before each) against a baseline:

- the diverged run's against the same verdict with every limit by ``sympy.limit``, as before
  analysis/limits.py read the limits of polynomials off their degree and leading coefficient:
  target at most 0.1x;
- the other against a verdict given only f, which works ∇f and ∇²f out again instead of taking the
  set-up's: target at most 0.8x.
"""

from __future__ import annotations

import argparse
import sys
import time

import sympy
from engine import _least_squares

from symgrad.analysis import limits
from symgrad.analysis.landscape import Judge
from symgrad.descent.plan import ending, plan_descent
from symgrad.descent.settings import DescentSettings


def best_time(work, runs: int) -> float:
    """Best of ``runs`` wall times of ``work()``, each after emptying SymPy's cache (a limit asked for
    again is answered from it)."""
    best = float("inf")
    for _ in range(runs):
        sympy.core.cache.clear_cache()
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    loss, names, start = _least_squares()

    def planned(lr: float):
        settings = DescentSettings.read(learning_rate=lr)
        plan = plan_descent(loss, settings, starts=[start], variables=",".join(names))
        return plan, plan.run()

    diverged, diverged_report = planned(0.1)
    short, short_report = planned(2e-6)

    def by_sympy_limit():
        along = limits.along
        limits.along = lambda expr, line, t: None
        try:
            diverged.judge(diverged_report)
        finally:
            limits.along = along

    def worked_out_again():
        Judge(short.function, maximize=False).verdict(ending(short_report.runs[0]))

    rows = [
        (
            "lr=0.1, diverged",
            lambda: diverged.judge(diverged_report),
            "every limit by sympy.limit",
            by_sympy_limit,
            0.1,
        ),
        (
            "lr=2e-6, stopped short",
            lambda: short.judge(short_report),
            "∇f and ∇²f worked out again",
            worked_out_again,
            0.8,
        ),
    ]
    ok = True
    for name, work, baseline_name, baseline, target in rows:
        ours, base = best_time(work, runs), best_time(baseline, runs)
        ratio = ours / base
        ok = ok and ratio <= target
        print(
            f"verdict, {name:<24} {ours * 1000:7.1f} ms   {baseline_name:<28} {base * 1000:7.1f} ms   "
            f"ratio {ratio:5.3f} (target <= {target})  {'ok' if ratio <= target else 'OVER TARGET'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
