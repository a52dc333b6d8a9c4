import math

import pytest

from symgrad.descent.schedules import parse_schedule
from symgrad.errors import InputError


def rates(text, base, ts):
    schedule = parse_schedule(text)
    return [schedule.learning_rate(base, t) for t in ts]


def test_constant():
    schedule = parse_schedule("constant")
    assert schedule.is_constant and schedule.description == "constant lr"
    assert rates("constant", 0.3, [0, 1, 10**6]) == [0.3, 0.3, 0.3]


def test_exponential():
    assert rates("exp:0.5", 1.0, range(4)) == [1.0, 0.5, 0.25, 0.125]
    assert parse_schedule("exp:0.99").description == "lr·0.99^t"


def test_step_decay_halves_every_ten_steps():
    assert rates("step:10:0.5", 0.8, [0, 9, 10, 19, 20, 35]) == [0.8, 0.8, 0.4, 0.4, 0.2, 0.1]
    assert parse_schedule("step:10:0.5").description == "lr·0.5^⌊t/10⌋"


def test_inverse_time():
    assert rates("inv:0.5", 1.0, [0, 1, 2, 6]) == [1.0, 1 / 1.5, 0.5, 0.25]
    assert rates("inv:0", 0.1, [0, 100]) == [0.1, 0.1]
    assert parse_schedule("inv:0.5").description == "lr/(1+0.5·t)"


def test_cosine_reaches_zero_at_T_and_stays():
    r = rates("cosine:4", 2.0, [0, 1, 2, 3, 4, 5, 1000])
    assert r[0] == 2.0 and r[4] == 0.0 and r[5] == 0.0 and r[6] == 0.0
    assert r[2] == pytest.approx(1.0, abs=1e-15)
    assert r[1] == pytest.approx(1 + math.sqrt(0.5), rel=1e-15)  # (1 + cos π/4)/2 · 2
    assert r[3] == pytest.approx(1 - math.sqrt(0.5), rel=1e-14)
    assert parse_schedule("cosine:4").description == "lr·(1+cos(π·min(t,4)/4))/2"


def test_growth_past_float_range_is_infinite_not_an_error():
    assert parse_schedule("exp:2").learning_rate(1.0, 5000) == math.inf


@pytest.mark.parametrize("text", ["constant", "exp:0.99", "step:100:0.5", "inv:0.01", "cosine:1000"])
def test_text_round_trips(text):
    schedule = parse_schedule(text)
    assert schedule.text == text
    assert parse_schedule(schedule.text) == schedule


def test_spacing_and_case_are_forgiven():
    assert parse_schedule("  EXP : 0.9 ") == parse_schedule("exp:0.9")
    assert parse_schedule("step:1e2:0.5").parameters == {"EVERY": 100, "GAMMA": 0.5}


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "linear",
            "unknown schedule 'linear': use constant, exp:GAMMA, step:EVERY:GAMMA, inv:K or "
            "cosine:T (e.g. exp:0.99)",
        ),
        ("", "unknown schedule ''"),
        ("exp", "schedule 'exp' takes one number: write exp:GAMMA, e.g. exp:0.99"),
        ("exp:0.9:2", "schedule 'exp' takes one number: write exp:GAMMA, e.g. exp:0.99"),
        ("constant:1", "schedule 'constant' takes no numbers: write constant, e.g. constant"),
        ("step:10", "schedule 'step' takes 2 numbers: write step:EVERY:GAMMA, e.g. step:100:0.5"),
        ("exp:fast", "GAMMA in 'exp:fast' is not a number: write exp:GAMMA, e.g. exp:0.99"),
        ("exp:0", "GAMMA in 'exp:0' must be positive: write exp:GAMMA, e.g. exp:0.99"),
        ("exp:-0.5", "GAMMA in 'exp:-0.5' must be positive"),
        ("exp:nan", "GAMMA in 'exp:nan' must be a finite number"),
        ("exp:inf", "GAMMA in 'exp:inf' must be a finite number"),
        ("step:0:0.5", "EVERY in 'step:0:0.5' must be a whole number ≥ 1: write step:EVERY:GAMMA"),
        ("step:2.5:0.5", "EVERY in 'step:2.5:0.5' must be a whole number ≥ 1"),
        ("step:10:0", "GAMMA in 'step:10:0' must be positive"),
        ("inv:-1", "K in 'inv:-1' must be ≥ 0: write inv:K, e.g. inv:0.01"),
        ("inv:-inf", "K in 'inv:-inf' must be a finite number"),
        ("cosine:0", "T in 'cosine:0' must be a whole number ≥ 1: write cosine:T, e.g. cosine:1000"),
        ("cosine:0.5", "T in 'cosine:0.5' must be a whole number ≥ 1"),
    ],
)
def test_bad_schedules_show_the_syntax(text, message):
    with pytest.raises(InputError) as raised:
        parse_schedule(text)
    assert str(raised.value).startswith(message)
    assert raised.value.exit_code == 2
