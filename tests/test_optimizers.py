"""Optimizers against their published update rules (worked by hand) and against torch.optim.

Two functions, as optax tests do: a parabola and Rosenbrock f = (1−x)² + 100(y−x²)².
"""

import math

import pytest

from symgrad.descent.optimizers import OPTIMIZER_NAMES, make_optimizer, uses
from symgrad.errors import InputError


def parabola_gradient(p):
    return tuple(2 * x for x in p)


def rosenbrock_gradient(p):
    x, y = p
    return (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))


def iterates(name, gradient, start, lr, steps, **hyperparameters):
    """The points after each of ``steps`` updates, applying updates as the optimizer contract says."""
    optimizer = make_optimizer(name, **hyperparameters)
    point, state = tuple(start), optimizer.init(start)
    points = []
    for _ in range(steps):
        updates, state = optimizer.update(gradient(point), state, lr)
        point = tuple(p + u for p, u in zip(point, updates))
        points.append(point)
    return points


def close(a, b, rel=1e-12):
    return a == pytest.approx(b, rel=rel, abs=1e-300)


def test_names_and_torch_defaults():
    assert OPTIMIZER_NAMES == ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
    assert {name: make_optimizer(name).hyperparameters for name in OPTIMIZER_NAMES} == {
        "sgd": {},
        "momentum": {"momentum": 0.9},
        "nesterov": {"momentum": 0.9},
        "adagrad": {"eps": 1e-10},
        "rmsprop": {"alpha": 0.99, "eps": 1e-8},
        "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    }
    assert make_optimizer(" Adam ").name == "adam"


# First iterates worked by hand from each published rule, on x² (∇ = 2x) from x = 1.


def test_sgd_by_hand():
    assert iterates("sgd", parabola_gradient, (1.0,), 0.1, 3) == [(0.8,), (0.64,), (0.512,)]


def test_momentum_by_hand():
    # b = 2 → x = 1 − 0.2; b = 0.9·2 + 1.6 = 3.4 → x = 0.8 − 0.34; b = 0.9·3.4 + 0.92 = 3.98.
    points = iterates("momentum", parabola_gradient, (1.0,), 0.1, 3)
    assert close([p for (p,) in points], [0.8, 0.46, 0.062])


def test_nesterov_by_hand():
    # b = 2, step along 2 + 0.9·2 = 3.8; then g = 1.24, b = 3.04, step along 1.24 + 0.9·3.04 = 3.976.
    points = iterates("nesterov", parabola_gradient, (1.0,), 0.1, 2)
    assert close([p for (p,) in points], [0.62, 0.2224])


def test_momentum_zero_is_sgd():
    assert iterates("momentum", rosenbrock_gradient, (-1.5, 2.0), 1e-4, 5, momentum=0.0) == iterates(
        "sgd", rosenbrock_gradient, (-1.5, 2.0), 1e-4, 5
    )


def test_adagrad_by_hand():
    # Σg² = 4, then 4 + 1.8²; each step is lr·g/(√Σg² + 1e-10).
    (x1,), (x2,) = iterates("adagrad", parabola_gradient, (1.0,), 0.1, 2)
    assert close(x1, 1 - 0.1 * 2 / (2 + 1e-10))
    assert close(x2, x1 - 0.1 * (2 * x1) / (math.sqrt(4 + (2 * x1) ** 2) + 1e-10))
    assert close(x1, 0.9, rel=1e-10)  # eps shifts it by 5e-12


def test_rmsprop_by_hand():
    # v = 0.01·4 = 0.04: the first step is lr·2/(0.2 + 1e-8), ten times lr.
    (x1,), (x2,) = iterates("rmsprop", parabola_gradient, (1.0,), 0.01, 2)
    assert close(x1, 1 - 0.01 * 2 / (0.2 + 1e-8))
    v2 = 0.99 * 0.04 + 0.01 * (2 * x1) ** 2
    assert close(x2, x1 - 0.01 * 2 * x1 / (math.sqrt(v2) + 1e-8))


def test_adam_by_hand_on_rosenbrock():
    # ∇f(−1.5, 2) = (−155, −50). With bias correction m̂ = g and v̂ = g² after one step, so Adam's
    # first step is lr·g/(|g| + eps): lr against the sign of each coordinate of the gradient.
    (x1, y1), (x2, y2) = iterates("adam", rosenbrock_gradient, (-1.5, 2.0), 0.01, 2)
    assert rosenbrock_gradient((-1.5, 2.0)) == (-155.0, -50.0)
    assert close(x1, -1.5 + 0.01 * 155 / (155 + 1e-8))
    assert close(y1, 2.0 + 0.01 * 50 / (50 + 1e-8))
    # Second step from Kingma & Ba's Algorithm 1, written out.
    g0, g1 = (-155.0, -50.0), rosenbrock_gradient((x1, y1))
    for coordinate, before, after in ((0, x1, x2), (1, y1, y2)):
        m = 0.9 * (0.1 * g0[coordinate]) + 0.1 * g1[coordinate]
        v = 0.999 * (0.001 * g0[coordinate] ** 2) + 0.001 * g1[coordinate] ** 2
        m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
        assert close(after, before - 0.01 * m_hat / (math.sqrt(v_hat) + 1e-8))


def textbook(name, gradient, start, lr, steps):
    """Each rule as the papers and torch's docs write it, one coordinate at a time."""
    point = list(start)
    n = len(point)
    buffer, total, average, m, v = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
    out = []
    for t in range(1, steps + 1):
        g = gradient(tuple(point))
        for i in range(n):
            if name == "sgd":
                point[i] -= lr * g[i]
            elif name in ("momentum", "nesterov"):
                buffer[i] = g[i] if t == 1 else 0.9 * buffer[i] + g[i]
                point[i] -= lr * (g[i] + 0.9 * buffer[i] if name == "nesterov" else buffer[i])
            elif name == "adagrad":
                total[i] += g[i] ** 2
                point[i] -= lr * g[i] / (math.sqrt(total[i]) + 1e-10)
            elif name == "rmsprop":
                average[i] = 0.99 * average[i] + 0.01 * g[i] ** 2
                point[i] -= lr * g[i] / (math.sqrt(average[i]) + 1e-8)
            else:
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] ** 2
                point[i] -= lr * (m[i] / (1 - 0.9**t)) / (math.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
        out.append(tuple(point))
    return out


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
@pytest.mark.parametrize(
    "gradient, start, lr",
    [(parabola_gradient, (3.0, -2.0), 0.05), (rosenbrock_gradient, (-1.5, 2.0), 1e-4)],
    ids=["parabola", "rosenbrock"],
)
def test_every_optimizer_follows_its_textbook_rule(name, gradient, start, lr):
    ours = iterates(name, gradient, start, lr, 3)
    reference = textbook(name, gradient, start, lr, 3)
    for a, b in zip(ours, reference):
        assert close(a, b, rel=1e-13)
    assert ours[0] != start  # it moved


def test_update_is_pure():
    adam = make_optimizer("adam")
    state = adam.init((1.0, 2.0))
    first = adam.update((0.5, -0.5), state, 0.1)
    again = adam.update((0.5, -0.5), state, 0.1)
    assert first == again
    assert state.count == 0 and state.m == (0.0, 0.0)
    assert first[1].count == 1
    with pytest.raises(AttributeError):
        state.count = 5


# PyTorch as the independent reference: same hyperparameters, float64, 50 steps.

TORCH_SETTINGS = {
    "sgd": ("SGD", {}, {}),
    "momentum": ("SGD", {"momentum": 0.9}, {}),
    "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}, {}),
    "adagrad": ("Adagrad", {}, {}),
    "rmsprop": ("RMSprop", {}, {}),
    "adam": ("Adam", {}, {}),
}
TORCH_CUSTOM = {
    "momentum": ("SGD", {"momentum": 0.5}, {"momentum": 0.5}),
    "nesterov": ("SGD", {"momentum": 0.3, "nesterov": True}, {"momentum": 0.3}),
    "adagrad": ("Adagrad", {"eps": 1e-3}, {"eps": 1e-3}),
    "rmsprop": ("RMSprop", {"alpha": 0.9, "eps": 1e-6}, {"alpha": 0.9, "eps": 1e-6}),
    "adam": ("Adam", {"betas": (0.8, 0.99), "eps": 1e-4}, {"beta1": 0.8, "beta2": 0.99, "eps": 1e-4}),
}


def torch_iterates(class_name, torch_options, gradient, start, lr, steps):
    torch = pytest.importorskip("torch")
    parameter = torch.tensor(start, dtype=torch.float64)
    optimizer = getattr(torch.optim, class_name)([parameter], lr=lr, **torch_options)
    points = []
    for _ in range(steps):
        parameter.grad = torch.tensor(gradient(tuple(parameter.tolist())), dtype=torch.float64)
        optimizer.step()
        points.append(tuple(parameter.tolist()))
    return points


CASES = [(parabola_gradient, (3.0, -2.0), 0.05), (rosenbrock_gradient, (-1.5, 2.0), None)]


@pytest.mark.parametrize(
    "name, settings",
    [(name, TORCH_SETTINGS[name]) for name in OPTIMIZER_NAMES]
    + [(f"{name}", TORCH_CUSTOM[name]) for name in TORCH_CUSTOM],
    ids=[*OPTIMIZER_NAMES, *(f"{name}-custom" for name in TORCH_CUSTOM)],
)
@pytest.mark.parametrize("case", CASES, ids=["parabola", "rosenbrock"])
def test_matches_torch(name, settings, case):
    class_name, torch_options, ours_options = settings
    gradient, start, lr = case
    if lr is None:  # Rosenbrock's gradient is ~100 times larger: keep plain steps stable
        lr = 1e-4 if name in ("sgd", "momentum", "nesterov") else 0.01
    theirs = torch_iterates(class_name, torch_options, gradient, start, lr, 50)
    ours = iterates(name, gradient, start, lr, 50, **ours_options)
    for a, b in zip(ours, theirs):
        assert close(a, b)


def test_uses():
    assert uses("adam", "beta2") and uses("Nesterov", "momentum") and uses("rmsprop", "alpha")
    assert not uses("sgd", "eps") and not uses("adam", "momentum") and not uses("adam", "nope")


@pytest.mark.parametrize(
    "name, options, message",
    [
        ("adan", {}, "unknown optimizer 'adan': choose one of " + ", ".join(OPTIMIZER_NAMES)),
        ("sgd", {"beta1": 0.9}, "--beta1 is used by adam, not sgd"),
        ("adam", {"momentum": 0.9}, "--momentum is used by momentum and nesterov, not adam"),
        ("sgd", {"eps": 1e-8}, "--eps is used by adagrad, rmsprop and adam, not sgd"),
        ("adam", {"alpha": 0.9}, "--alpha is used by rmsprop, not adam"),
        ("momentum", {"momentum": 1.0}, "--momentum must be in [0, 1), got 1: e.g. --momentum 0.9"),
        ("nesterov", {"momentum": -0.1}, "--momentum must be in [0, 1), got -0.1: e.g. --momentum 0.9"),
        ("momentum", {"momentum": math.nan}, "--momentum must be in [0, 1), got nan: e.g. --momentum 0.9"),
        ("rmsprop", {"alpha": 1.0}, "--alpha must be in [0, 1), got 1: e.g. --alpha 0.99"),
        ("adam", {"beta1": 1.0}, "--beta1 must be in [0, 1), got 1: e.g. --beta1 0.9"),
        ("adam", {"beta2": -0.5}, "--beta2 must be in [0, 1), got -0.5: e.g. --beta2 0.999"),
        ("adam", {"eps": 0.0}, "--eps must be a positive number, got 0: e.g. --eps 1e-08"),
        ("adagrad", {"eps": -1.0}, "--eps must be a positive number, got -1: e.g. --eps 1e-10"),
        ("rmsprop", {"eps": math.inf}, "--eps must be a positive number, got inf: e.g. --eps 1e-08"),
        ("adam", {"eps": "tiny"}, "--eps must be a number, got 'tiny': e.g. --eps 1e-08"),
    ],
)
def test_bad_choices_say_what_to_do(name, options, message):
    with pytest.raises(InputError) as raised:
        make_optimizer(name, **options)
    assert str(raised.value) == message
    assert raised.value.exit_code == 2


def test_edges_of_the_ranges_are_allowed():
    assert make_optimizer("momentum", momentum=0.0).hyperparameters == {"momentum": 0.0}
    assert make_optimizer("adam", beta1=0, beta2=0.999999, eps=1e-300).hyperparameters == {
        "beta1": 0.0,
        "beta2": 0.999999,
        "eps": 1e-300,
    }
