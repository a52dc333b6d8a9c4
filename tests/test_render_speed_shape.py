"""How a Hessian is printed: a matrix that fits reads exactly as the Rich table it replaced did; a wider
one comes in blocks of columns that each fit the screen, every entry once, in its own row and column;
an entry too long to fit even alone is wrapped by the table; each distinct entry is printed once."""

import io
import re
from collections import Counter

import pytest
from rich.console import Console
from rich.style import Style

from console_examples import invoke
from symgrad.analysis.hessian import hessian
from symgrad.expression.printing import to_latex, to_text
from symgrad.render import hessian as views
from symgrad.render import table, writing
from symgrad.render.matrix import Matrix

CAPTION = re.compile(r"columns? (\d+)(?:–(\d+))? of (\d+)")


def old_matrix(names, rows):
    """What the Hessian view printed before Matrix: the borderless table."""
    return table(("", *names), [(name, *row) for name, row in zip(names, rows)])


def styled_lines(renderable, width: int) -> list[list[tuple[str, Style]]]:
    """Each printed line as (character, style) pairs: equal when the screen shows the same thing."""
    out = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
    with writing():
        lines = out.render_lines(renderable, pad=False)
    return [
        [(char, segment.style or Style.null()) for segment in line for char in segment.text] for line in lines
    ]


def printed(renderable, width: int) -> list[str]:
    out = Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None, highlight=False)
    with writing():
        out.print(renderable)
    return out.file.getvalue().splitlines()


def chained_quadratic(n: int) -> str:
    return "+".join(f"(x{i}+x{i + 1}-1)**2+x{i}**2" for i in range(1, n))


def distinct_quadratic(n: int) -> str:
    """Σ (100i + j)·xi·xj over i ≤ j: entry (i, j) of its Hessian is 100i + j, twice that on the
    diagonal, so every entry but its mirror image is different."""
    return "+".join(f"{100 * i + j}*x{i}*x{j}" for i in range(1, n + 1) for j in range(i, n + 1))


def distinct_entry(i: int, j: int) -> str:
    i, j = min(i, j), max(i, j)
    return str((100 * i + j) * (2 if i == j else 1))


@pytest.mark.parametrize(
    "text, at",
    [
        ("x**2 + 4*y**2", ["1,2"]),
        ("x**2*y + sin(x)", ["1,2", "0,0"]),
        ("exp(x*y) + x**3 + log(1+z**2)*y", ["0.5,-0.3,1"]),
        ("x**2*y/3 + sqrt(x)*y", ["1,1/3"]),
        (chained_quadratic(12), [",".join(["1/3"] * 12)]),
        (distinct_quadratic(8), []),
    ],
)
@pytest.mark.parametrize("width", [10_000, 120])
def test_a_matrix_that_fits_prints_as_the_table_did(monkeypatch, text, at, width):
    result = hessian(text, at=at)
    view = views.hessian_view(result)
    monkeypatch.setattr(views, "Matrix", old_matrix)
    reference = views.hessian_view(result)
    assert not any(CAPTION.fullmatch(line) for line in printed(view, width))  # in one piece
    assert styled_lines(view, width) == styled_lines(reference, width)


def test_a_matrix_of_wide_characters_prints_as_the_table_did():
    names = ["α", "β", "w"]
    rows = [["2·y²", "—", "−sin(α)"], ["—", "双曲", "0"], ["−sin(α)", "0", "1/2"]]
    assert styled_lines(Matrix(names, rows), 80) == styled_lines(old_matrix(names, rows), 80)


def read_blocks(lines: list[str]) -> list[tuple[tuple[int, int], list[str], dict[str, list[str]]]]:
    """The blocks after a caption line: (first and last column), the header's names, each row's entries."""
    blocks = []
    for k, line in enumerate(lines):
        caption = CAPTION.fullmatch(line.strip())
        if caption:
            first = int(caption.group(1))
            last = int(caption.group(2) or first)
            header = lines[k + 1].split()
            rows = {}
            for row in lines[k + 2 :]:
                if not row.strip() or CAPTION.fullmatch(row.strip()):
                    break
                label, *entries = row.split()
                rows[label] = entries
            blocks.append(((first, last), header, rows))
    return blocks


def test_a_wide_hessian_prints_in_blocks_of_columns_that_fit_the_screen():
    n, width = 16, 80
    outcome = invoke(["hessian", distinct_quadratic(n), "--timeout", "0"], columns=width)
    assert outcome.code == 0, outcome.stderr
    assert all(len(line) <= width for line in outcome.stdout.splitlines())
    lines = [line.rstrip() for line in outcome.stdout.splitlines()]
    blocks = read_blocks(lines[lines.index("Hessian ∇²f") :])
    names = [f"x{j}" for j in range(1, n + 1)]
    assert len(blocks) > 1
    assert [first for (first, _), _, _ in blocks] == [1] + [last + 1 for (_, last), _, _ in blocks[:-1]]
    assert blocks[-1][0][1] == n
    seen = Counter()
    for (first, last), header, rows in blocks:
        assert header == names[first - 1 : last]
        assert list(rows) == names
        for i, entries in enumerate(rows.values(), start=1):
            assert entries == [distinct_entry(i, j) for j in range(first, last + 1)]
            seen.update((i, j) for j in range(first, last + 1))
    assert seen == Counter({(i, j): 1 for i in range(1, n + 1) for j in range(1, n + 1)})
    # as many columns to a block as fit: the next block's first column would not have
    column_width = [
        max(len(names[j - 1]), *(len(distinct_entry(i, j)) for i in range(1, n + 1))) for j in range(1, n + 1)
    ]
    for (first, last), _, _ in blocks[:-1]:
        used = len("x16") + sum(2 + column_width[j - 1] for j in range(first, last + 1))
        assert used <= width < used + 2 + column_width[last]


def test_the_blocks_hold_as_many_columns_as_fit():
    names = [f"x{j}" for j in range(1, 25)]
    matrix = Matrix(names, [["12345"] * 24 for _ in names])
    # 3 for the names, then 2 + 5 a column: 3 + 7·11 = 80
    assert matrix.blocks(80) == [range(0, 11), range(11, 22), range(22, 24)]
    lines = printed(matrix, 80)
    assert [line for line in lines if CAPTION.fullmatch(line)] == [
        "columns 1–11 of 24",
        "columns 12–22 of 24",
        "columns 23–24 of 24",
    ]
    assert max(len(line) for line in lines) == 80
    assert matrix.blocks(16) == [range(j, j + 1) for j in range(24)]
    assert printed(matrix, 16)[:3] == ["column 1 of 24", "     x1   ", "x1   12345"]


def test_a_column_too_wide_for_the_screen_is_wrapped_by_the_table():
    long = " + ".join(f"{k}·sin({k}x)" for k in range(1, 15))
    names = ["x", "y", "z"]
    rows = [["2", long, "0"], [long, "−1", "1/2"], ["0", "1/2", "4"]]
    lines = printed(Matrix(names, rows), 60)
    assert all(len(line) <= 60 for line in lines)
    assert "…" not in "\n".join(lines)
    assert [line for line in lines if CAPTION.fullmatch(line)] == [
        "column 1 of 3",
        "column 2 of 3",
        "column 3 of 3",
    ]
    block = lines[lines.index("column 2 of 3") + 1 : lines.index("column 3 of 3") - 1]
    assert block == printed(table(("", "y"), [(name, row[1]) for name, row in zip(names, rows)]), 60)
    first_row = []
    for line in block[1:]:
        if line.startswith("y "):
            break
        first_row.append(line[len("x  ") :].strip())
    assert " ".join(first_row) == long
    assert len(first_row) > 1


def test_a_hessian_with_long_entries_fits_the_screen_without_cutting_them():
    outcome = invoke(["hessian", "exp(x**3*y**2*sin(x*y))*cos(x+y)**2", "--timeout", "0"], columns=80)
    assert outcome.code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "…" not in outcome.stdout
    assert [line.strip() for line in lines if CAPTION.fullmatch(line.strip())] == [
        "column 1 of 2",
        "column 2 of 2",
    ]


def test_each_distinct_entry_is_printed_once_in_every_format(monkeypatch):
    text = chained_quadratic(10) + "+x1*x2*x3"
    result = hessian(text, at=[",".join(str(k) for k in range(1, 11))])
    symbolic = {e for row in result.hessian for e in row}
    values = {v for row in result.evaluations[0].exact for v in row}
    assert len(symbolic) < 10 and len(values) < 10  # of 100 entries
    reference_json = [[to_text(e) for e in row] for row in result.hessian]
    reference_latex = r" \\ ".join(" & ".join(to_latex(e) for e in row) for row in result.hessian)
    calls = {}

    def count(name):
        calls[name] = Counter()
        write = getattr(views, name)

        def counted(entry):
            calls[name][entry] += 1
            return write(entry)

        monkeypatch.setattr(views, name, counted)

    def printings(name, entries):
        return {e: k for e, k in calls[name].items() if e in entries}

    for name in ("maths", "exact_maths", "to_text", "exact_json", "to_latex"):
        count(name)
    printed(views.hessian_view(result), 10_000)
    assert printings("maths", symbolic) == dict.fromkeys(symbolic, 1)
    assert printings("exact_maths", values) == dict.fromkeys(values, 1)
    data = views.hessian_json(result)
    assert printings("to_text", symbolic) == dict.fromkeys(symbolic, 1)
    assert printings("exact_json", values) == dict.fromkeys(values, 1)
    assert printings("to_latex", symbolic) == dict.fromkeys(symbolic, 1)
    assert data["hessian"] == reference_json
    assert data["latex"] == rf"\begin{{pmatrix}} {reference_latex} \end{{pmatrix}}"
    calls["to_latex"].clear()
    latex = views.hessian_latex(hessian(text))
    assert printings("to_latex", symbolic) == dict.fromkeys(symbolic, 1)
    assert latex == rf"\nabla^2 f = \begin{{pmatrix}} {reference_latex} \end{{pmatrix}}"
