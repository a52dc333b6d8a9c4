"""Cost of `symgrad fit` on 1,000,000 rows x 3 columns, as ratios to baselines measured in the same run.

    python benchmarks/fit.py [--rows N] [--steps K]

Targets (from the issue):

- loading: symgrad's reader at most 2x `pandas.read_csv` of the same file;
- each full-batch sgd step of the linear model a*x1 + b*x2 + c with MSE at most 2x a hand-written
  NumPy step that keeps the same history (point, loss, gradient, norm); the per-step cost is
  (time of K steps − time of 1 step) / K, so the set-up cancels out;
- memory: the peak resident memory of a fit (reading included), above that of the process before it,
  at most 3x the data's size in float64 (rows x 3 x 8 bytes). Measured in a fresh process, by
  sampling /proc/self/statm (Linux).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

MODEL = "a*x1+b*x2+c"
LR = 0.1


def write_data(path: str, rows: int) -> None:
    rng = np.random.default_rng(0)
    x1, x2 = rng.normal(size=rows), rng.normal(size=rows)
    y = 3 * x1 - 2 * x2 + 1 + rng.normal(scale=0.1, size=rows)
    with open(path, "w") as handle:
        handle.write("x1,x2,y\n")
        np.savetxt(handle, np.column_stack([x1, x2, y]), delimiter=",", fmt="%.17g")


def best(function, repeats: int = 3) -> float:
    fastest = math.inf
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        fastest = min(fastest, time.perf_counter() - began)
    return fastest


def loading(path: str) -> tuple[float, float]:
    import pandas

    from symgrad.fit.data import read_table

    return best(lambda: read_table(path, ["x1", "x2", "y"])), best(lambda: pandas.read_csv(path))


def fit_seconds(path: str, steps: int) -> float:
    from symgrad.descent.settings import DescentSettings
    from symgrad.fit.plan import FitRequest, plan_fit

    plan = plan_fit(FitRequest(MODEL, path, "y"))
    settings = DescentSettings.read(learning_rate=LR, steps=steps, tol=0)
    return best(lambda: plan.run(settings))


def hand_seconds(path: str, steps: int) -> float:
    """The baseline: the gradient derived by hand, NumPy over all rows, the same history kept."""
    from symgrad.fit.data import read_table

    table = read_table(path, ["x1", "x2", "y"])
    x1, x2, y = (table.columns[name] for name in ("x1", "x2", "y"))
    n = len(y)

    def run():
        a = b = c = 0.0
        history = []
        for k in range(steps + 1):
            r = a * x1 + b * x2 + c - y
            loss = np.dot(r, r) / n
            ga, gb, gc = 2 * np.dot(r, x1) / n, 2 * np.dot(r, x2) / n, 2 * r.sum() / n
            history.append((k, a, b, c, loss, ga, gb, gc, math.hypot(ga, gb, gc)))
            if k == steps:
                break
            a, b, c = a - LR * ga, b - LR * gb, c - LR * gc

    return best(run)


def per_step(measure, path: str, steps: int) -> float:
    return (measure(path, steps) - measure(path, 1)) / (steps - 1)


_MEMORY = """
import os, threading, time
from symgrad.descent.settings import DescentSettings
from symgrad.fit.plan import FitRequest, plan_fit
import pandas, sympy, numpy

page = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * page
# ru_maxrss is a high-water mark that the imports have already set, so resident memory is sampled
# every millisecond instead.
before, peak, done = rss(), [0], []
def sample():
    while not done:
        peak[0] = max(peak[0], rss())
        time.sleep(0.001)
watcher = threading.Thread(target=sample)
watcher.start()
plan = plan_fit(FitRequest({model!r}, {path!r}, "y"))
plan.run(DescentSettings.read(learning_rate={lr}, steps=20, tol=0))
done.append(True)
watcher.join()
print(max(peak[0], rss()) - before)
"""


def peak_memory(path: str) -> int:
    """Bytes of resident memory a fit adds at its peak, in a fresh process."""
    code = _MEMORY.format(model=MODEL, path=path, lr=LR)
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    env = {**os.environ, "PYTHONPATH": source}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return int(out.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data.csv")
        write_data(path, args.rows)
        ours, theirs = loading(path)
        print(f"loading {args.rows:,} rows x 3: symgrad {ours:.3f} s, pandas.read_csv {theirs:.3f} s")
        print(f"  ratio {ours / theirs:.2f}x (target at most 2x)")
        step, hand = per_step(fit_seconds, path, args.steps), per_step(hand_seconds, path, args.steps)
        print(
            f"full-batch step of {MODEL}: symgrad {step * 1e3:.2f} ms, hand-written NumPy {hand * 1e3:.2f} ms"
        )
        print(f"  ratio {step / hand:.2f}x (target at most 2x)")
        data = args.rows * 3 * 8
        peak = peak_memory(path)
        print(f"peak memory of a fit: {peak / 2**20:.0f} MB for {data / 2**20:.0f} MB of float64 data")
        print(f"  ratio {peak / data:.2f}x (target at most 3x)")


if __name__ == "__main__":
    main()
