"""Per-step cost of `symgrad descend`, as ratios to baselines measured in the same run.

    python benchmarks/descent.py [--steps N]

Runs sgd on Rosenbrock f = (1-x)² + 100(y-x²)² from (-1, 1) with lr 1e-4 through the CLI
(`--summary`), and takes the per-step cost as (time of N steps − time of N/4 steps) / (3N/4), so
start-up, the symbolic set-up and the verdict (the same for both: each run ends at the minimum)
cancel out. Baselines, measured here in the same run:

- a hand-written pure-Python loop with the hand-derived gradient that records the same history
  (step, point, f, ‖∇f‖): target at most 2x;
- the same descent with torch.optim.SGD in float64, when torch is installed: target at least 100x
  faster than it.

It also reports the peak memory of a 10^6-step run: with --summary a run keeps a bounded selection
of its rows (descent/record.py), so memory does not grow with the steps.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import time

ROSENBROCK = "(1-x)**2 + 100*(y-x**2)**2"
LR = 1e-4


def cli_seconds(steps: int) -> float:
    """Best of three wall times of one CLI run of ``steps`` sgd steps."""
    command = [
        sys.executable,
        "-m",
        "symgrad",
        "descend",
        ROSENBROCK,
        "--start",
        "-1,1",
        "--lr",
        str(LR),
        "--steps",
        str(steps),
        "--tol",
        "0",
        "--summary",
    ]
    best = math.inf
    for _ in range(3):
        began = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        best = min(best, time.perf_counter() - began)
    return best


def hand_loop_seconds(steps: int) -> float:
    """The baseline: plain Python, the gradient derived by hand, the same history kept."""
    best = math.inf
    for _ in range(3):
        began = time.perf_counter()
        x, y = -1.0, 1.0
        history = []
        for k in range(steps + 1):
            f = (1 - x) ** 2 + 100 * (y - x * x) ** 2
            gx = -2 * (1 - x) - 400 * x * (y - x * x)
            gy = 200 * (y - x * x)
            norm = math.hypot(gx, gy)
            history.append((k, x, y, f, norm))
            if k == steps:
                break
            x, y = x - LR * gx, y - LR * gy
        best = min(best, time.perf_counter() - began)
    return best


def torch_seconds(steps: int) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    began = time.perf_counter()
    params = torch.tensor([-1.0, 1.0], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([params], lr=LR)
    history = []
    for k in range(steps + 1):
        optimizer.zero_grad()
        x, y = params[0], params[1]
        f = (1 - x) ** 2 + 100 * (y - x * x) ** 2
        f.backward()
        history.append((k, *params.tolist(), f.item(), params.grad.norm().item()))
        if k == steps:
            break
        optimizer.step()
    return time.perf_counter() - began


def peak_memory_mb(steps: int) -> float:
    code = (
        "import resource, sys\n"
        "from symgrad.cli import main\n"
        f"sys.argv = ['symgrad', 'descend', {ROSENBROCK!r}, '--start', '-1,1', '--lr', '{LR}',"
        f" '--steps', '{steps}', '--tol', '0', '--summary']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(run.stderr.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=100_000)
    steps = parser.parse_args().steps
    # Memory first: a child forked from a process that has imported torch starts with torch's pages.
    base_memory = peak_memory_mb(1)
    big_memory = peak_memory_mb(1_000_000)
    ours = (cli_seconds(steps) - cli_seconds(steps // 4)) / (steps - steps // 4)
    hand = hand_loop_seconds(steps) / steps
    ok = ours / hand <= 2.0
    print(f"symgrad descend, per step     {ours * 1e6:8.2f} µs")
    print(
        f"hand-written loop, per step   {hand * 1e6:8.2f} µs   ratio {ours / hand:5.2f}x "
        f"(target <= 2x)  {'ok' if ok else 'OVER TARGET'}"
    )
    torch_steps = min(steps, 5_000)
    torch_time = torch_seconds(torch_steps)
    if torch_time is None:
        print("torch.optim.SGD               not installed (pip install torch==2.13.0 to compare)")
    else:
        per_step = torch_time / torch_steps
        faster = per_step / ours
        ok = ok and faster >= 100
        print(
            f"torch.optim.SGD, per step     {per_step * 1e6:8.2f} µs   symgrad is {faster:5.0f}x faster "
            f"(target >= 100x)  {'ok' if faster >= 100 else 'UNDER TARGET'}"
        )
    print(
        f"peak memory, 10^6 steps       {big_memory:8.1f} MB (1 step: {base_memory:.1f} MB; "
        f"{(big_memory - base_memory) * 2**20 / 1e6:.0f} bytes per step)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
