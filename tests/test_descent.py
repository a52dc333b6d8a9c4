"""The descent loop: textbook worked examples, stop conditions, options, advice, and torch as reference."""

import dataclasses
import json
import math
import subprocess
import sys
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad.descent.loop import CHUNK, HUGE, WORSE, compare_optimizers, descend
from symgrad.descent.optimizers import OPTIMIZER_NAMES, Optimizer, make_optimizer
from symgrad.descent.outcome import Divergence, Status
from symgrad.descent.schedules import parse_schedule
from symgrad.descent.settings import DescentSettings
from symgrad.descent.transforms import chain, clip_by_norm, flip_sign, scale_by_optimizer, update_rule
from symgrad.errors import InputError, MathError


def square(p):
    (x,) = p
    return x * x, (2 * x,)


def shifted_parabola(p):  # x² − 4x + 5, minimum 1 at x = 2
    (x,) = p
    return x * x - 4 * x + 5, (2 * x - 4,)


def bowl(p):  # x² + 2y²
    x, y = p
    return x * x + 2 * y * y, (2 * x, 4 * y)


def rosenbrock(p):
    x, y = p
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2, (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))


def sphere3(p):
    return sum(v * v for v in p), tuple(2 * v for v in p)


def negated(function):
    def minus(p):
        value, gradient = function(p)
        return -value, tuple(-g for g in gradient)

    return minus


def house_prices(p):
    """Mean squared error of price = w·size on (50, 100), (100, 200), (150, 300)."""
    (w,) = p
    a, b, c = 100 - 50 * w, 200 - 100 * w, 300 - 150 * w
    return (a * a + b * b + c * c) / 3, ((-100 * a - 200 * b - 300 * c) / 3,)


def sgd(function, start, lr, **options):
    return descend(function, start, optimizer=make_optimizer("sgd"), learning_rate=lr, **options)


# Textbook worked examples.


def test_shifted_parabola_from_zero():
    run = sgd(shifted_parabola, (0.0,), 0.1, steps=10, tol=0)
    xs = [x for (x,) in run.points]
    assert xs[:4] == pytest.approx([0.0, 0.4, 0.72, 0.976], abs=1e-15)
    assert xs[10] == pytest.approx(2 - 2 * 0.8**10, rel=1e-14)
    assert run.row(0).gradient == (-4.0,) and run.row(0).value == 5.0


def test_square_with_a_small_rate_for_a_thousand_steps():
    run = sgd(square, (10.0,), 0.001, steps=1000, tol=0)
    assert len(run) == 1001 and run.status == "max_steps"
    assert run.final.point[0] == pytest.approx(10 * 0.998**1000, rel=1e-12)
    assert run.warnings == ()  # ‖∇f‖ fell from 20 to 2.7: slow, but not "barely moved"


def test_bowl_in_two_variables():
    run = sgd(bowl, (4.0, 3.0), 0.1, steps=3, tol=0)
    assert run.points[1:] == [
        pytest.approx((3.2, 1.8), abs=1e-15),
        pytest.approx((2.56, 1.08), abs=1e-15),
        pytest.approx((2.048, 0.648), abs=1e-15),
    ]


def test_house_price_regression_converges_to_two():
    run = sgd(house_prices, (0.0,), 1e-5, names=("w",))
    start, first = run.row(0), run.row(1)
    assert start.gradient[0] == pytest.approx(-46666.67, abs=0.01)
    assert first.point[0] == pytest.approx(0.466667, abs=1e-6)
    assert first.point[0] == pytest.approx(-start.gradient[0] * 1e-5, rel=1e-15)
    assert run.status == "converged" and len(run) == 94  # the default 100 steps suffice
    assert run.final.point[0] == pytest.approx(2.0, abs=1e-9)
    assert run.reason == "converged after 93 steps: ‖∇f‖ = 8.66e-7 ≤ tol = 1e-6"


# The learning-rate dilemma.


def test_rate_at_two_over_L_bounces_and_warns():
    run = sgd(square, (10.0,), 1.0, curvature=2.0)
    assert [x for (x,) in run.points[:4]] == [10.0, -10.0, 10.0, -10.0]
    assert run.status == "max_steps" and run.advice is None
    assert run.warnings == (
        "the steps flip direction without shrinking: lr=1.0 is not below 2/L = 1.0 for this function; "
        "try --lr 0.5",
    )
    assert run.suggested_learning_rate == 0.5


def test_bouncing_without_curvature_gives_generic_advice():
    run = sgd(square, (10.0,), 1.0)
    assert run.warnings == (
        "the steps flip direction without shrinking: lr=1.0 is too large here; try --lr 0.1",
    )


def test_rate_above_two_over_L_diverges():
    run = sgd(square, (10.0,), 1.5, curvature=2.0)
    assert run.status == "diverged" and run.diverged and not run.converged
    # x = 10·(−2)^k, f = 100·4^k: f is 1e12 times worse than at the start at k = 20. That row is
    # finite, so it is kept.
    assert run.diverged_at == 20 and len(run) == 21
    assert run.final.value == 100 * 4**20 > WORSE * 100
    assert run.reason == "diverged at step 20: f rose from 100.0 to 1.1e14 (x=1.04858e+07)"
    assert run.advice == "lr=1.5 is above 2/L = 1.0 for this function; try --lr 0.5"
    assert run.suggested_learning_rate == 0.5 and run.warnings == ()


def test_maximizing_diverges_when_f_falls_far():
    run = sgd(negated(square), (10.0,), 1.5, maximize=True)
    assert run.diverged_at == 20
    assert run.reason == "diverged at step 20: f fell from -100.0 to -1.1e14 (x=1.04858e+07)"


def test_huge_values_diverge_even_when_f_improves():
    cube = lambda p: (p[0] ** 3, (3 * p[0] ** 2,))  # noqa: E731
    run = sgd(cube, (-1.0,), 0.1, steps=1000)
    assert run.diverged_at == 12 and len(run) == 13  # row 12 is huge but finite: kept
    assert run.final.value < -HUGE
    assert run.reason == "diverged at step 12: f = -2.49e249 at x=-1.35509e+83"


def test_growing_bounces_are_named_before_they_diverge():
    run = sgd(square, (10.0,), 1.5, steps=10, curvature=2.0)
    assert run.status == "max_steps"
    assert run.warnings == (
        "the steps flip direction and grow: lr=1.5 is above 2/L = 1.0 for this function; try --lr 0.5",
    )


def test_divergence_without_curvature():
    run = sgd(square, (10.0,), 1.5)
    assert run.advice == "lr=1.5 is too large here; try a smaller --lr, e.g. 0.15"
    assert run.suggested_learning_rate == 0.15


def test_a_non_finite_row_is_not_kept():
    run = sgd(square, (10.0,), 1e300)
    assert run.diverged_at == 1 and len(run) == 1
    assert run.reason == "diverged at step 1: f = inf at x=-2e+301"


def test_too_small_a_rate_is_hinted():
    run = sgd(square, (10.0,), 1e-4, curvature=2.0)
    assert run.warnings == (
        "‖∇f‖ only went from 20.0 to 19.6 in 100 steps: lr=0.0001 is small next to 1/L = 0.5; "
        "try --lr 0.5 or more --steps",
    )
    assert run.suggested_learning_rate == 0.5
    run = sgd(square, (10.0,), 1e-4)
    assert run.warnings[0].endswith("lr=0.0001 may be too small; try --lr 0.001 or more --steps")


def test_slow_progress_at_a_safe_rate_blames_conditioning():
    stretched = lambda p: (p[0] ** 2 + 1e-4 * p[1] ** 2, (2 * p[0], 2e-4 * p[1]))  # noqa: E731
    run = sgd(stretched, (0.0, 1.0), 0.5, curvature=2.0)
    assert run.warnings == (
        "‖∇f‖ only went from 0.0002 to 0.000198 in 100 steps although lr=0.5 is near the limit 2/L = 1.0: "
        "f is badly conditioned; try --optimizer momentum or adam, or more --steps",
    )
    assert run.suggested_learning_rate is None


def test_suggestions_round_down_under_the_bound():
    # Rosenbrock's Hessian at (−1.5, 2) is [[1902, 600], [600, 200]]: L = 1051 + √(851² + 600²).
    curvature = 1051 + math.hypot(851, 600)
    run = sgd(rosenbrock, (-1.5, 2.0), 0.01, steps=1000, curvature=curvature)
    assert run.diverged
    assert run.advice == "lr=0.01 is above 2/L = 0.000956 for this function; try --lr 0.0004"
    assert run.suggested_learning_rate == 0.0004  # 1/L = 0.000478, rounded down
    assert sgd(rosenbrock, (-1.5, 2.0), 0.0004, steps=1000, curvature=curvature).status != "diverged"


def test_unbounded_functions_are_named():
    cube = lambda p: (p[0] ** 3, (3 * p[0] ** 2,))  # noqa: E731
    run = sgd(cube, (-1.0,), 0.1, steps=1000, curvature=-6.0)
    assert run.diverged
    assert run.advice == (
        "f keeps decreasing without bound, so it may have no minimum: check the function or --start"
    )
    run = sgd(square, (1.0,), 0.1, steps=5000, maximize=True)
    assert run.diverged
    assert run.advice == (
        "f keeps increasing without bound, so it may have no maximum: check the function or --start"
    )


# Stop conditions.


def test_a_run_too_short_to_judge_gets_no_speed_hint():
    for steps in (0, 1, 9):
        assert sgd(square, (1.0,), 0.01, steps=steps).warnings == ()
    assert "only went from" in sgd(square, (1.0,), 0.01, steps=10).warnings[0]


def test_steady_descent_with_a_steady_gradient_is_not_called_slow():
    line = lambda p: (p[0], (1.0,))  # noqa: E731
    run = sgd(line, (1.0,), 0.1, steps=10)
    assert run.warnings == (
        "f kept decreasing while ‖∇f‖ did not shrink (1.0 to 1.0), so f may have no minimum to reach; "
        "check the function or --start",
    )
    assert run.suggested_learning_rate is None


def test_tol_zero_runs_exactly_the_steps_even_through_the_minimum():
    run = sgd(square, (10.0,), 0.5, steps=7, tol=0)
    assert len(run) == 8 and run.status == "max_steps"
    assert run.points[1:] == [(0.0,)] * 7
    assert run.reason == "ran all 7 steps (tol 0 turns the convergence test off)"


def test_zero_steps_records_the_start_only():
    run = sgd(square, (3.0,), 0.1, steps=0)
    assert len(run) == 1 and run.status == "max_steps" and run.final.point == (3.0,)


def test_a_start_at_the_minimum_converges_at_step_zero():
    run = sgd(shifted_parabola, (2.0,), 0.1)
    assert len(run) == 1 and run.converged
    assert run.reason == "converged at the start: ‖∇f‖ = 0.0 ≤ tol = 1e-6"


def test_convergence_stops_at_the_first_step_within_tol():
    run = sgd(square, (10.0,), 0.25, tol=1e-3)
    norms = run.gradient_norms
    assert norms[-1] <= 1e-3 < norms[-2]
    assert len(run) == 16  # 20·0.5^k ≤ 1e-3 first at k = 15


@pytest.mark.parametrize(
    "function, start, message",
    [
        (
            lambda p: (math.log(p[0]), (1 / p[0],)),
            (0.0,),
            "f cannot be evaluated at the start (x=0): outside the domain of a function in it; choose "
            "another --start",
        ),
        (
            lambda p: (1 / p[0], (-1 / p[0] ** 2,)),
            (0.0,),
            "f cannot be evaluated at the start (x=0): division by zero; choose another --start",
        ),
        (lambda p: (math.inf, (0.0,)), (1.0,), "f is not finite at the start (x=1): choose another --start"),
        (
            lambda p: (0.0, (math.nan,)),
            (1.0,),
            "the gradient is not finite at the start (x=1): choose another --start",
        ),
        (
            lambda p: ((-1.0) ** 0.5, (1.0,)),
            (1.0,),
            "f cannot be evaluated at the start (x=1): not a real number; choose another --start",
        ),
        (
            lambda p: (math.exp(p[0]), (math.exp(p[0]),)),
            (400.0,),
            "f is too large at the start (x=400) to descend from: choose another --start",
        ),
    ],
)
def test_a_bad_start_is_a_math_error(function, start, message):
    with pytest.raises(MathError) as raised:
        sgd(function, start, 0.1)
    assert str(raised.value) == message and raised.value.exit_code == 1


def test_a_domain_error_mid_run_diverges_with_the_reason():
    log = lambda p: (math.log(p[0]), (1 / p[0],))  # noqa: E731  minimising log walks to x = 0
    run = sgd(log, (1.0,), 1.0, names=("t",))
    assert run.diverged and run.diverged_at == 1 and len(run) == 1
    assert run.reason == (
        "diverged at step 1: f cannot be evaluated at t=0 (outside the domain of a function in it)"
    )
    assert run.advice == "a step jumped out of the domain of f; try a smaller --lr, e.g. 0.1"


def test_a_run_that_improves_up_to_the_edge_of_the_domain_says_so():
    # sqrt(x) falls steadily toward its lowest value 0 at the edge x = 0, then a step jumps past it.
    root = lambda p: (math.sqrt(p[0]), (0.5 / math.sqrt(p[0]),))  # noqa: E731
    run = sgd(root, (4.0,), 1.0)
    assert run.diverged and "cannot be evaluated" in run.reason
    assert run.advice.startswith("f improved at every step up to the edge of its domain")


def test_a_complex_value_mid_run_diverges():
    root = lambda p: (p[0] ** 1.5, (1.5 * p[0] ** 0.5,))  # noqa: E731  complex for x < 0
    run = sgd(root, (1.0,), 1.0)
    assert run.diverged
    assert run.reason == "diverged at step 1: f cannot be evaluated at x=-0.5 (not a real number)"


# Options.


def test_schedule_scales_each_step():
    run = sgd(square, (10.0,), 0.1, steps=4, tol=0, schedule=parse_schedule("exp:0.5"))
    expected, x = [10.0], 10.0
    for t in range(4):
        x = x - 0.1 * 0.5**t * 2 * x
        expected.append(x)
    assert [x for (x,) in run.points] == expected
    assert run.schedule.text == "exp:0.5"


def test_constant_schedule_changes_nothing():
    plain = sgd(rosenbrock, (-1.5, 2.0), 1e-4, steps=50)
    scheduled = sgd(rosenbrock, (-1.5, 2.0), 1e-4, steps=50, schedule=parse_schedule("constant"))
    assert plain.history == scheduled.history


def test_clip_rescales_the_step_but_records_the_true_gradient():
    run = sgd(square, (10.0,), 0.1, steps=1, tol=0, clip=1.0)
    assert run.points == [(10.0,), (9.9,)]
    assert run.row(0).gradient == (20.0,)
    circle = lambda p: (p[0] ** 2 + p[1] ** 2, (2 * p[0], 2 * p[1]))  # noqa: E731
    run = sgd(circle, (3.0, 4.0), 0.1, steps=1, tol=0, clip=5.0)
    assert run.points[1] == pytest.approx((2.7, 3.6), abs=1e-15)  # ∇f = (6, 8), ‖∇f‖ 10 → (3, 4)
    run = sgd(square, (0.1,), 0.1, steps=1, tol=0, clip=1.0)
    assert run.points[1] == (0.1 - 0.1 * 0.2,)  # shorter than the clip: untouched


def test_maximize_climbs_to_the_top():
    hill = lambda p: (-((p[0] - 3) ** 2), (-2 * (p[0] - 3),))  # noqa: E731
    run = sgd(hill, (0.0,), 0.1, maximize=True)
    assert run.points[1] == pytest.approx((0.6,), abs=1e-15)
    assert run.converged and run.final.point[0] == pytest.approx(3.0, abs=1e-6)
    assert run.final.gradient_norm <= 1e-6


def test_progress_is_reported_once_per_chunk_and_at_the_end():
    calls = []
    sgd(square, (10.0,), 1e-6, steps=2 * CHUNK + 100, tol=0, progress=lambda k, n: calls.append((k, n)))
    total = 2 * CHUNK + 100
    assert calls == [(CHUNK - 1, total), (2 * CHUNK - 1, total), (total, total)]


def test_compare_optimizers_uses_one_start_for_all():
    optimizers = ["sgd", make_optimizer("adam")]
    runs = compare_optimizers(rosenbrock, (-1.5, 2.0), optimizers, learning_rate=1e-3, steps=20)
    assert [run.optimizer for run in runs] == ["sgd", "adam"]
    assert all(run.row(0).point == (-1.5, 2.0) for run in runs)
    assert runs[0].points[1] != runs[1].points[1]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"learning_rate": 0}, "--lr must be a positive number, got 0: e.g. --lr 0.1"),
        ({"learning_rate": -0.1}, "--lr must be a positive number"),
        ({"learning_rate": math.nan}, "--lr must be a positive number"),
        ({"learning_rate": math.inf}, "--lr must be a positive number"),
        ({"steps": -1}, "--steps must be a whole number ≥ 0, got -1: e.g. --steps 100"),
        ({"steps": 2.5}, "--steps must be a whole number ≥ 0"),
        ({"steps": True}, "--steps must be a whole number ≥ 0"),
        ({"steps": 10**8}, "--steps 100000000 is above the limit of 10000000"),
        ({"tol": -1e-6}, "--tol must be a number ≥ 0"),
        ({"tol": math.nan}, "--tol must be a number ≥ 0"),
        ({"clip": 0}, "--clip must be a positive number, got 0: e.g. --clip 1"),
        ({"clip": -2.0}, "--clip must be a positive number"),
        ({"optimizer": "adan"}, "unknown optimizer 'adan'"),
    ],
)
def test_bad_options_are_input_errors(options, message):
    arguments = {"optimizer": "sgd", **options}
    with pytest.raises(InputError) as raised:
        descend(square, (1.0,), **arguments)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("start", [(), (math.nan,), (math.inf,), (1e200,)])
def test_bad_starts_are_input_errors(start):
    with pytest.raises(InputError):
        descend(square, start, optimizer="sgd")


# The trajectory record.


def test_trajectory_accessors_agree_with_each_other():
    run = sgd(bowl, (4.0, 3.0), 0.1, steps=3, tol=0, names=("a", "b"))
    assert len(run) == 4 and run.dimension == 2 and run.names == ("a", "b")
    row = run.row(2)
    assert row.step == 2 and row.point == run.points[2] and row.value == run.values[2]
    assert row.gradient == run.gradients[2] == (2 * row.point[0], 4 * row.point[1])
    assert row.gradient_norm == run.gradient_norms[2] == math.hypot(*row.gradient)
    assert run.row(-1) == run.final == list(run)[-1]
    assert list(run.coordinate(1)) == [p[1] for p in run.points]
    with pytest.raises(IndexError):
        run.row(4)
    assert run.optimizer == "sgd" and run.hyperparameters == {} and run.step_limit == 3


def test_sampled_steps():
    run = sgd(square, (10.0,), 1e-3, steps=99, tol=0)
    assert run.sampled_steps(5) == (0, 25, 50, 74, 99)
    assert sgd(square, (10.0,), 1e-3, steps=3, tol=0).sampled_steps(5) == (0, 1, 2, 3)


def test_history_is_compact():
    steps = 100_000
    run = sgd(rosenbrock, (-1.5, 2.0), 1e-4, steps=steps, tol=0)
    assert isinstance(run.history, array) and run.history.typecode == "d"
    assert len(run.history) == 6 * (steps + 1)  # x, y, f, ∂x, ∂y, ‖∇f‖ per row: 48 bytes


# Plain SGD in one or two variables takes a shortcut in the loop; it must give the same floats.


@pytest.mark.parametrize(
    "function, start", [(square, (10.0,)), (rosenbrock, (-1.5, 2.0)), (sphere3, (1.0, -2.0, 3.0))]
)
@pytest.mark.parametrize("maximize", [False, True])
def test_sgd_shortcut_matches_the_optimizer(function, start, maximize):
    if maximize:
        function = negated(function)
    run = sgd(function, start, 1e-4, steps=30, tol=0, maximize=maximize)
    assert len(run) == 31
    optimizer = make_optimizer("sgd")
    point, state = start, optimizer.init(start)
    for k in range(30):
        assert run.points[k] == point
        gradient = function(point)[1]
        if maximize:
            gradient = tuple(-g for g in gradient)
        updates, state = optimizer.update(gradient, state, 1e-4)
        point = tuple(p + u for p, u in zip(point, updates))


@settings(max_examples=50, deadline=None)
@given(
    a=st.floats(0.1, 10),
    x0=st.floats(-100, 100).filter(lambda x: abs(x) > 1e-3),
    fraction=st.floats(0.01, 0.45),
)
def test_sgd_on_a_quadratic_is_geometric(a, x0, fraction):
    # lr below 1/(2L) with L = 2a: each step keeps the sign and multiplies x by 1 − 2a·lr ≥ 0.1, so
    # rounding stays within a few ulps a step.
    lr = fraction / a
    run = sgd(lambda p: (a * p[0] ** 2, (2 * a * p[0],)), (x0,), lr, steps=20, tol=0)
    for k, (x,) in enumerate(run.points):
        assert x == pytest.approx(x0 * (1 - 2 * a * lr) ** k, rel=1e-12, abs=1e-300)


# PyTorch as the reference for the whole loop (maximize included).


def torch_run(class_name, options, function, start, lr, steps, maximize):
    torch = pytest.importorskip("torch")
    parameter = torch.tensor(start, dtype=torch.float64)
    optimizer = getattr(torch.optim, class_name)([parameter], lr=lr, maximize=maximize, **options)
    points = [tuple(parameter.tolist())]
    for _ in range(steps):
        parameter.grad = torch.tensor(function(tuple(parameter.tolist()))[1], dtype=torch.float64)
        optimizer.step()
        points.append(tuple(parameter.tolist()))
    return points


TORCH = {
    "sgd": ("SGD", {}),
    "momentum": ("SGD", {"momentum": 0.9}),
    "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "adagrad": ("Adagrad", {}),
    "rmsprop": ("RMSprop", {}),
    "adam": ("Adam", {}),
}


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
@pytest.mark.parametrize(
    "function, start, maximize",
    [
        (square, (3.0,), False),
        (rosenbrock, (-1.5, 2.0), False),
        (sphere3, (1.0, -2.0, 3.0), False),
        (negated(rosenbrock), (-1.5, 2.0), True),
    ],
    ids=["square", "rosenbrock", "sphere3", "maximize"],
)
def test_descend_matches_torch(name, function, start, maximize):
    lr = 1e-4 if name in ("sgd", "momentum", "nesterov") and len(start) == 2 else 0.01
    class_name, options = TORCH[name]
    theirs = torch_run(class_name, options, function, start, lr, 50, maximize)
    run = descend(function, start, optimizer=name, learning_rate=lr, steps=50, tol=0, maximize=maximize)
    assert len(run) == 51
    for ours, reference in zip(run.points, theirs):
        assert ours == pytest.approx(reference, rel=1e-12)


def test_overflow_mid_run_is_not_called_leaving_the_domain(cli):
    result = cli("descend", "exp(x**2)", "--start", "10", "--lr", "1")
    assert result.code == 1
    assert "f or ∇f is beyond the range of floats at x=-5.37623e+44" in result.stdout
    assert "domain" not in result.stdout + result.stderr
    json_run = cli("descend", "exp(x**2)", "--start", "10", "--lr", "1", "-f", "json")
    assert "f or ∇f is beyond the range of floats at x=-5.37623e+44" in json_run.stderr


# The update rule as a chain of transforms.


def old_path(name, function, start, lr, steps, *, clip=None, maximize=False, schedule=None):
    """The rule as the loop applied it before transforms: clip and sign in one scale, then the rate."""
    optimizer = make_optimizer(name)
    point, state, points = tuple(start), optimizer.init(start), [tuple(start)]
    for k in range(steps):
        gradient = function(point)[1]
        norm = math.hypot(*gradient)
        sign = -1.0 if maximize else 1.0
        scale = sign * (clip / norm) if clip is not None and norm > clip else sign
        gradient = tuple([scale * g for g in gradient])
        rate = lr * schedule.factor(k) if schedule is not None else lr
        updates, state = optimizer.update(gradient, state, rate)
        point = tuple(p + u for p, u in zip(point, updates))
        points.append(point)
    return points


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
@pytest.mark.parametrize(
    "function, start", [(square, (3.0,)), (rosenbrock, (-1.5, 2.0)), (sphere3, (1.0, -2.0, 3.0))]
)
@pytest.mark.parametrize(
    "options",
    [{}, {"clip": 1.0}, {"maximize": True}, {"clip": 0.5, "maximize": True, "schedule": "exp:0.97"}],
)
def test_clip_sign_and_schedule_chained_give_the_old_iterates(name, function, start, options):
    options = dict(options)
    schedule = parse_schedule(options.pop("schedule")) if "schedule" in options else None
    if options.get("maximize"):
        function = negated(function)
    expected = old_path(name, function, start, 1e-3, 40, schedule=schedule, **options)
    run = descend(
        function, start, optimizer=name, learning_rate=1e-3, steps=40, tol=0, schedule=schedule, **options
    )
    assert run.points == expected  # the same floats, not just close


def test_chain_applies_its_transforms_in_order_and_threads_their_states():
    momentum = make_optimizer("momentum", momentum=0.5)
    rule = chain(clip_by_norm(1.0), flip_sign(), scale_by_optimizer(momentum, 0.1))
    state = rule.init((0.0, 0.0))
    updates, state = rule.update((3.0, 4.0), state)  # clipped to (0.6, 0.8), flipped, b = g
    assert updates == pytest.approx((0.06, 0.08), abs=1e-16)
    updates, state = rule.update((0.3, 0.4), state)  # b = 0.5·b − (0.3, 0.4) = (−0.6, −0.8)
    assert updates == pytest.approx((0.06, 0.08), abs=1e-16)
    assert state[:2] == ((), ())


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("schedule", [None, "inv:0.5"])
def test_the_fused_plain_step_equals_update_then_add(n, schedule):
    schedule = parse_schedule(schedule) if schedule else None
    rule = update_rule(make_optimizer("sgd"), 0.3, schedule=schedule, clip=2.0, maximize=True)
    advance = rule.fuse(n)
    point, gradient = tuple(0.1 * (i + 1) for i in range(n)), tuple(1.7 - i for i in range(n))
    state = rule.init(point)
    for t in range(4):
        updates, state = rule.update(gradient, state)
        assert advance(point, gradient, t) == tuple(p + u for p, u in zip(point, updates))


def test_only_a_rule_without_state_is_fused():
    assert update_rule(make_optimizer("sgd"), 0.1).fuse is not None
    assert update_rule(make_optimizer("adam"), 0.1, clip=1.0).fuse is None


def test_the_loop_runs_the_optimizer_it_is_given_whatever_its_name():
    # A rule called "sgd" that steps twice as far: the loop takes no shortcut by name.
    double = Optimizer(
        "sgd", {}, lambda params: (), lambda grads, state, lr: (tuple(-2 * lr * g for g in grads), state)
    )
    run = descend(bowl, (4.0, 3.0), optimizer=double, learning_rate=0.1, steps=1, tol=0)
    assert run.points[1] == pytest.approx((2.4, 0.6), abs=1e-15)


# How a run ended, as facts.


def test_status_is_an_enum_that_reads_as_its_json_word():
    run = sgd(shifted_parabola, (0.0,), 0.1)
    assert run.status is Status.CONVERGED and run.status == "converged"
    assert (
        json.dumps([run.status, Status.MAX_STEPS, Status.DIVERGED])
        == '["converged", "max_steps", "diverged"]'
    )


@pytest.mark.parametrize(
    "function, start, lr, kind",
    [
        (square, (10.0,), 1.5, Divergence.PAST_BOUND),
        (square, (10.0,), 1e300, Divergence.VALUE_TOO_LARGE),
        (lambda p: (math.log(p[0]), (1 / p[0],)), (1.0,), 1.0, Divergence.OUTSIDE_DOMAIN),
        (lambda p: (p[0] ** 3, (3 * p[0] ** 2,)), (-1.0,), 0.1, Divergence.VALUE_TOO_LARGE),
    ],
)
def test_a_diverged_run_says_why_as_a_fact(function, start, lr, kind):
    run = sgd(function, start, lr, steps=1000)
    assert run.stop.status is Status.DIVERGED and run.stop.divergence is kind
    assert run.stop.step == run.diverged_at


def test_diagnosis_sits_below_the_loop():
    code = "import sys, symgrad.descent.diagnosis; print('symgrad.descent.loop' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# Settings, checked once.


def test_settings_read_the_command_words_once():
    settings = DescentSettings.read(
        optimizers="sgd, Adam", hyperparameters={"beta1": 0.8, "momentum": None}, schedule="exp:0.5", steps=5
    )
    assert [o.name for o in settings.optimizers] == ["sgd", "adam"]
    assert settings.optimizers[1].hyperparameters["beta1"] == 0.8
    assert settings.schedule.text == "exp:0.5" and settings.steps == 5 and settings.learning_rate == 0.1
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.steps = 6
    with pytest.raises(InputError, match="--optimizer names an optimizer twice"):
        DescentSettings.read(optimizers="adam,adam")
    with pytest.raises(InputError, match="--clip must be a positive number"):
        DescentSettings(clip=-1.0)
