"""backprop: forward values, adjoints and a gradient equal to grad's, on many expressions."""

import math
import subprocess
import sys

import pytest

from symgrad.analysis.backprop import backpropagate

T = math.tanh(1.0)
NEURON = [(1 - T**2) * 2, (1 - T**2) * 0.5, 1 - T**2]  # ∂/∂w, ∂/∂x, ∂/∂b of tanh(w*x+b) at 0.5, 2, 0


def test_single_neuron_against_closed_form(cli):
    data = cli("backprop", "tanh(w*x + b)", "--at", "w=0.5,x=2,b=0", "-f", "json").json()
    assert data["variables"] == ["b", "w", "x"]
    assert data["at"] == {"b": "0", "w": "1/2", "x": "2"}
    assert data["value"] == pytest.approx(T, rel=1e-15)
    assert data["gradient"]["w"] == pytest.approx(NEURON[0], rel=1e-14)
    assert data["gradient"]["x"] == pytest.approx(NEURON[1], rel=1e-14)
    assert data["gradient"]["b"] == pytest.approx(NEURON[2], rel=1e-14)
    assert list(data["gradient"]) == ["b", "w", "x"]
    nodes = {n["expression"]: n for n in data["nodes"]}
    assert [n["op"] for n in data["nodes"]] == ["var", "var", "var", "mul", "add", "tanh"]
    assert nodes["w*x"]["inputs"] == [nodes["w"]["id"], nodes["x"]["id"]]
    assert nodes["w*x"]["value"] == 1.0
    assert nodes["tanh(b + w*x)"]["adjoint"] == 1.0
    assert nodes["b + w*x"]["adjoint"] == pytest.approx(1 - T**2, rel=1e-14)


def test_vars_sets_the_order(cli):
    data = cli("backprop", "tanh(w*x + b)", "--at", "0.5,2,0", "--vars", "w,x,b", "-f", "json").json()
    assert list(data["gradient"]) == ["w", "x", "b"]
    assert list(data["gradient"].values()) == pytest.approx(NEURON, rel=1e-14)


def test_text_shows_the_table_and_the_gradient(cli):
    result = cli("backprop", "tanh(w*x + b)", "--at", "w=0.5,x=2,b=0")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[3].split() == [
        "id",
        "op",
        "expression",
        "inputs",
        "value",
        "adjoint",
        "∂f/∂node",
        "local",
        "∂node/∂input",
    ]
    assert lines[-1] == "∇f = [0.419974341614, 0.839948683228, 0.209987170807]  (∂f/∂b, ∂f/∂w, ∂f/∂x)"
    assert lines[-2] == "f = 0.761594155956"


def test_shared_subexpression_is_one_node(cli):
    data = cli("backprop", "sin(x)**2 + sin(x)", "--at", "x=0.3", "-f", "json").json()
    sines = [n for n in data["nodes"] if n["expression"] == "sin(x)"]
    assert len(sines) == 1
    users = [n for n in data["nodes"] if sines[0]["id"] in n["inputs"]]
    assert len(users) == 2
    # Both paths add up: d/dsin of (s**2 + s) = 2s + 1.
    assert sines[0]["adjoint"] == pytest.approx(2 * math.sin(0.3) + 1, rel=1e-14)
    assert data["gradient"]["x"] == pytest.approx((2 * math.sin(0.3) + 1) * math.cos(0.3), rel=1e-14)


CASES = [
    ("x**2 + 4*y**2", "1,2"),
    ("3*x**3 - 5*x**2 + 2", "2"),
    ("x*y*z", "2,3,5"),
    ("x*y*z", "0,3,5"),
    ("(x + 1)/(x - 1)", "3"),
    ("sin(x**2)*exp(y)", "0.9,-0.4"),
    ("log(1 + exp(w*x + b))", "0.2,1.5,-0.7"),
    ("sigmoid(w1*x1 + w2*x2 + b)", "0.1,0.5,-1,2,0.3"),
    ("(sigmoid(w*x + b) - 1)**2", "0.2,0.5,1.5"),
    ("-(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z)))", "1,0.3"),
    ("relu(w*x + b)", "0.5,2,1"),
    ("relu(w*x + b)", "-3,2,1"),
    ("max(x, y) + min(x, y**2)", "0.5,0.6"),
    ("abs(x - y)", "0.2,0.9"),
    ("x**y", "1.5,2.5"),
    ("2**x + x**0.5", "1.3"),
    ("sqrt(x**2 + y**2)", "3,4"),
    ("tan(x) + atan(y) + asin(x/2)", "0.3,0.7"),
    ("cosh(x)*sinh(y) + tanh(x*y)", "0.4,-0.2"),
    ("acosh(x + 1) + asinh(y) + atanh(x/2)", "0.5,0.5"),
    ("sec(x) + csc(y) + cot(x + y)", "0.4,0.9"),
    ("erf(x) * gamma(y)", "0.3,2.5"),
    ("atan2(y, x)", "1,2"),
    ("exp(-(x**2 + y**2)/2)/(2*pi)", "0.3,-0.1"),
    ("(a - 3)**2 + 10*(b + 1)**4", "1,1"),
    ("(1 - x)**2 + 100*(y - x**2)**2", "-1.2,1"),
    ("log(x, 2) + cbrt(y)", "3,8"),
    ("x*sin(x)*sin(x)", "0.7"),
    ("softplus(x) - x", "1.1"),
    ("x**3*y - x*y**3 + 7", "1.5,-0.5"),
]


@pytest.mark.parametrize(("text", "at"), CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_gradient_equals_grad(cli, text, at):
    backward = cli("backprop", text, "--at", at, "-f", "json")
    assert backward.code == 0, backward.stderr
    data = backward.json()
    reference = cli("grad", text, "--at", at, "-f", "json").json()
    assert list(data["gradient"]) == reference["variables"]
    assert list(data["gradient"].values()) == pytest.approx(reference["numeric"], rel=1e-9, abs=1e-12)
    root = data["nodes"][-1]
    assert root["adjoint"] == 1.0 and root["value"] == data["value"]
    ids = [n["id"] for n in data["nodes"]]
    assert ids == list(range(len(ids)))
    assert all(i < n["id"] for n in data["nodes"] for i in n["inputs"])  # topological order


def test_library_call_matches_finite_differences():
    result = backpropagate("x*exp(-y)*cos(x*y)", at="0.7,0.2")
    f = lambda x, y: x * math.exp(-y) * math.cos(x * y)  # noqa: E731
    h = 1e-6
    dx = (f(0.7 + h, 0.2) - f(0.7 - h, 0.2)) / (2 * h)
    dy = (f(0.7, 0.2 + h) - f(0.7, 0.2 - h)) / (2 * h)
    assert result.gradient == pytest.approx({"x": dx, "y": dy}, rel=1e-7)


def test_dot_file(cli, tmp_path):
    path = tmp_path / "graph.dot"
    result = cli("backprop", "tanh(w*x + b)", "--at", "w=0.5,x=2,b=0", "--dot", str(path))
    assert result.code == 0
    lines = path.read_text().splitlines()
    assert lines[0] == "digraph backprop {" and lines[-1] == "}"
    assert '  n5 [label="n5  tanh: tanh(b + w*x)\\nvalue = 0.761594155956\\nadjoint = 1"];' in lines
    assert '  n1 [label="n1  w\\nvalue = 0.5\\nadjoint = 0.839948683228"];' in lines
    edges = sorted(line.strip() for line in lines if "->" in line)
    assert edges == ["n0 -> n4;", "n1 -> n3;", "n2 -> n3;", "n3 -> n4;", "n4 -> n5;"]


def test_dot_file_that_cannot_be_written(cli, tmp_path):
    (tmp_path / "g.dot").mkdir()  # a folder where the file should go
    result = cli("backprop", "x**2", "--at", "1", "--dot", str(tmp_path / "g.dot"))
    assert result.code == 2
    assert result.stderr.startswith("Error: cannot write --dot")


@pytest.mark.parametrize(
    ("text", "at", "node"),
    [
        ("log(x) + x", "x=0", "log(x)"),
        ("1/(x - 1)", "x=1", "1/(x - 1)"),
        ("sqrt(x - 2)", "x=1", "sqrt(x - 2)"),
        ("exp(exp(x))", "x=10", "exp(exp(x))"),
    ],
)
def test_non_finite_forward_pass_names_the_node(cli, text, at, node):
    result = cli("backprop", text, "--at", at)
    assert result.code == 1
    assert result.stderr.startswith("Error: the forward pass fails at node ")
    assert f", {node}: its value is not a finite real number" in result.stderr


def test_bad_point_is_input_error(cli):
    result = cli("backprop", "x*y", "--at", "1")
    assert result.code == 2
    assert result.stderr.startswith("Error: --at has 1 value")


def test_help_does_not_import_sympy():
    code = (
        "import sys\nfrom symgrad.cli import main\n"
        "try:\n    main(['backprop', '--help'])\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('sympy', 'numpy', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_dot_dash_prints_the_graph_instead_of_the_table(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("backprop", "tanh(w*x+b)", "--at", "w=0.5,x=2,b=0", "--dot", "-")
    assert result.code == 0
    assert result.stdout.startswith("digraph backprop {") and result.stdout.rstrip().endswith("}")
    assert not (tmp_path / "-").exists()


def test_dot_into_a_missing_folder_is_refused_first(cli, tmp_path):
    target = tmp_path / "no" / "g.dot"
    result = cli("backprop", "x*y", "--at", "1,2", "--dot", str(target))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr == (
        f"Error: --dot {target}: there is no folder {target.parent}; create it or choose another\n"
    )


@pytest.mark.parametrize(
    ("text", "op", "at", "local"),
    [
        ("relu(x)", "relu", "2", 1.0),
        ("relu(x)", "relu", "-2", 0.0),
        ("softplus(x)", "softplus", "0.3", 1 / (1 + math.exp(-0.3))),  # softplus′ = σ
        ("sigmoid(x)", "sigmoid", "0.3", math.exp(-0.3) / (1 + math.exp(-0.3)) ** 2),  # σ(1 − σ)
        ("tanh(x)", "tanh", "0.3", 1 - math.tanh(0.3) ** 2),
    ],
)
def test_activations_are_single_nodes_with_their_local_derivative(text, op, at, local):
    result = backpropagate(text, at=at)
    assert [node.op for node in result.nodes] == ["var", op]
    assert result.nodes[-1].local == pytest.approx((local,))
    assert result.gradient["x"] == pytest.approx(local)


def test_json_carries_each_edges_local_derivative(cli):
    import json

    data = json.loads(cli("backprop", "tanh(w*x + b)", "--at", "w=0.5,x=2,b=0", "-f", "json").stdout)
    mul = next(node for node in data["nodes"] if node["op"] == "mul")
    assert mul["local"] == [2.0, 0.5]  # ∂(w·x)/∂w = x, ∂(w·x)/∂x = w


def test_plot_draws_the_graph_without_graphviz(cli, tmp_path):
    pytest.importorskip("matplotlib")
    from symgrad.pictures.graph import graph_figure

    path = tmp_path / "graph.png"
    result = cli("backprop", "relu(w*x + b)", "--at", "w=0.5,x=2,b=1", "--plot", str(path))
    assert result.code == 0 and path.stat().st_size > 0
    figure = graph_figure(backpropagate("relu(w*x + b)", at="w=0.5,x=2,b=1"))
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert any(t.startswith("relu: relu(b + w·x)") for t in texts)
    assert "×0.5" in texts and "∂f/∂· = 2" in texts  # ∂(w·x)/∂x = w; ∂f/∂w = x = 2
