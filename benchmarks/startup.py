"""Start-up cost of symgrad, as ratios to baselines measured in the same run.

    python benchmarks/startup.py [--runs N]

Targets: `symgrad --help` at most 2.5x `python -c "import typer"`; `symgrad diff ... --at x=2` at
most 1.5x `python -c "import sympy, typer, rich"` (importing SymPy is the floor).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

SYMGRAD = [sys.executable, "-m", "symgrad"]


def wall_time(command: list[str], runs: int) -> float:
    """Median wall time of ``runs`` runs (after one warm-up for the file cache)."""
    subprocess.run(command, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(name: str, command: list[str], baseline: list[str], target: float, runs: int) -> bool:
    ours, base = wall_time(command, runs), wall_time(baseline, runs)
    ratio = ours / base
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(
        f"{name:<40} {ours * 1000:7.0f} ms  baseline {base * 1000:6.0f} ms  "
        f"ratio {ratio:4.2f} (target <= {target})  {verdict}"
    )
    return ratio <= target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    results = [
        compare("symgrad --help", SYMGRAD + ["--help"], [sys.executable, "-c", "import typer"], 2.5, runs),
        compare(
            "symgrad diff '3*x**3-5*x**2+2' --at x=2",
            SYMGRAD + ["diff", "3*x**3-5*x**2+2", "--at", "x=2"],
            [sys.executable, "-c", "import sympy, typer, rich"],
            1.5,
            runs,
        ),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
