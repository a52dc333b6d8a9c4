"""What a session saves: twenty commands through one `symgrad shell` against one `symgrad diff` process.

    python benchmarks/shell.py [--runs N]

Target: the twenty commands of a short lesson, piped into one shell, take less than twice the wall time
of a single `symgrad diff ... --at x=2` process (SymPy is loaded once, not twenty times).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

SYMGRAD = [sys.executable, "-m", "symgrad"]
TARGET = 2.0

# A lesson as a learner types it: derivatives, gradients, a Hessian, a check, a few short descents.
LESSON = [
    "diff 3*x**3-5*x**2+2 --at x=2",
    "diff sin(x)**2 --at x=0",
    "diff exp(-x**2) --order 2",
    "diff x*y**2 --wrt y --at 1,2",
    "diff log(1+exp(x))",
    "diff sigmoid(x) --at x=0",
    "grad x**2+4*y**2 --at 1,2",
    "grad x*y+y*z --at 1,2,3",
    "grad (w*x+b-y)**2 --vars w,b --let x=2 --let y=1 --at 0,0",
    "hessian x**2+4*y**2 --at 1,2",
    "hessian x**2*y --at 1,1",
    "check x**2*y --at 1,2 --grad '2*x*y, x**2'",
    "let a = 3",
    "diff a*x**2 --at x=1",
    "grad a*x**2+y**2 --at 1,1",
    "descend x**2-4*x+5 --start 0 --lr 0.1 --summary",
    "descend x**2+10*y**2 --start 1,1 --lr 0.05 --summary",
    "descend x**2+y**2 --start 1,1 --optimizer sgd,adam --summary",
    "diff x**5 --at x=1",
    "diff tanh(x) --at x=0",
]


def wall_time(command: list[str], runs: int, stdin: str | None = None) -> float:
    """Median wall time of ``runs`` runs (after one warm-up for the file cache); a failure stops it."""
    subprocess.run(command, input=stdin, capture_output=True, text=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, input=stdin, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    one = wall_time(SYMGRAD + ["diff", "3*x**3-5*x**2+2", "--at", "x=2"], runs)
    session = wall_time(SYMGRAD + ["shell"], runs, stdin="\n".join(LESSON) + "\n")
    ratio = session / one
    verdict = "ok" if ratio < TARGET else "OVER TARGET"
    print(
        f"{len(LESSON)} commands in one shell {session * 1000:7.0f} ms  "
        f"one symgrad diff {one * 1000:6.0f} ms  "
        f"ratio {ratio:4.2f} (target < {TARGET})  {verdict}"
    )
    return 0 if ratio < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
