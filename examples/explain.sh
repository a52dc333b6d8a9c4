#!/bin/sh
# How derivatives are obtained, rule by rule, and how the chain rule becomes backpropagation.
# Run: sh examples/explain.sh
# The lines starting with "#>" show what each command prints (the tests check them).

# The product rule: (f·g)' = f'·g + f·g'.
symgrad diff "x*exp(x)" --explain
#> product rule: d/dx x·eˣ = x·eˣ + eˣ
#> (uv)′ = u′v + uv′ with u = x, v = eˣ: 1·eˣ + x·eˣ
#> ├── variable rule: d/dx x = 1
#> └── exponential rule: d/dx eˣ = eˣ
#> tidy up: x·eˣ + eˣ = (x + 1)·eˣ
#>
#> expression  x·eˣ
#> variables   x
#> derivative  d/dx = (x + 1)·eˣ

# The quotient rule, where SymPy stores (x+1)/(x-1) as (x+1)·(x-1)**-1.
symgrad diff "(x+1)/(x-1)" --explain
#> quotient rule: d/dx (x + 1)/(x − 1) = −2/(x − 1)²
#> (u/v)′ = (u′v − uv′)/v² with u = x + 1, v = x − 1: (1·(x − 1) − (x + 1)·1)/(x − 1)²
#> ├── sum rule: d/dx x + 1 = 1
#> │   ├── variable rule: d/dx x = 1
#> │   └── constant rule: d/dx 1 = 0
#> └── sum rule: d/dx x − 1 = 1
#>     ├── variable rule: d/dx x = 1
#>     └── constant rule: d/dx −1 = 0
#>
#> expression  (x + 1)/(x − 1)
#> variables   x
#> derivative  d/dx = −2/(x − 1)²

# A sum of constant multiples of powers.
symgrad diff "3*x**3-5*x**2+2" --explain
#> sum rule: d/dx 3x³ − 5x² + 2 = 9x² − 10x
#> ├── constant multiple rule: d/dx 3x³ = 9x²
#> │   └── power rule: d/dx x³ = 3x²
#> ├── constant multiple rule: d/dx −5x² = −10x
#> │   └── power rule: d/dx x² = 2x
#> └── constant rule: d/dx 2 = 0
#>
#> expression  3x³ − 5x² + 2
#> variables   x
#> derivative  d/dx = 9x² − 10x

# Logarithmic differentiation for a variable in the exponent.
symgrad diff "x**x" --explain
#> general power rule (logarithmic differentiation): d/dx x^x = x^x·(log(x) + 1)
#> f**g = exp(g·ln f), so (f**g)' = f**g·(g'·ln f + g·f'/f)
#> ├── variable rule: d/dx x = 1
#> └── variable rule: d/dx x = 1
#>
#> expression  x^x
#> variables   x
#> derivative  d/dx = x^x·(log(x) + 1)

# Partial derivatives: the other variable is held constant.
symgrad grad "x**2*y + exp(x*y)" --explain
#> ∂f/∂x (y held constant)
#> sum rule: ∂/∂x x²·y + exp(x·y) = 2x·y + y·exp(x·y)
#> ├── constant multiple rule: ∂/∂x x²·y = 2x·y
#> │   └── power rule: ∂/∂x x² = 2x
#> └── chain rule: ∂/∂x exp(x·y) = y·exp(x·y)
#>     let u = x·y; ∂/∂x eᵘ = eᵘ·∂u/∂x
#>     ├── exponential rule: d/du eᵘ = eᵘ
#>     └── constant multiple rule: ∂/∂x x·y = y
#>         └── variable rule: ∂/∂x x = 1
#> tidy up: 2x·y + y·exp(x·y) = y·(2x + exp(x·y))
#>
#> ∂f/∂y (x held constant)
#> sum rule: ∂/∂y x²·y + exp(x·y) = x² + x·exp(x·y)
#> ├── constant multiple rule: ∂/∂y x²·y = x²
#> │   └── variable rule: ∂/∂y y = 1
#> └── chain rule: ∂/∂y exp(x·y) = x·exp(x·y)
#>     let u = x·y; ∂/∂y eᵘ = eᵘ·∂u/∂y
#>     ├── exponential rule: d/du eᵘ = eᵘ
#>     └── constant multiple rule: ∂/∂y x·y = x
#>         └── variable rule: ∂/∂y y = 1
#> tidy up: x² + x·exp(x·y) = x·(x + exp(x·y))
#>
#> expression  x²·y + exp(x·y)
#> variables   x, y (the order of the vector)
#> gradient    ∇f = [y·(2x + exp(x·y)), x·(x + exp(x·y))]

# Backpropagation through a squared-error loss of one sigmoid neuron.
symgrad backprop "(sigmoid(w*x + b) - 1)**2" --at w=0.5,x=2,b=0
#> f = (σ(b + w·x) − 1)² at b=0, w=1/2, x=2
#> forward pass: values from the inputs up; backward pass: adjoints from f = 1 down
#>
#> id  op       expression         inputs  value            adjoint ∂f/∂node  local ∂node/∂input
#> 0   var      b                          0                -0.105754185569
#> 1   var      w                          0.5              -0.211508371137
#> 2   var      x                          2                -0.0528770927843
#> 3   mul      w·x                1, 2    1                -0.105754185569   2, 0.5
#> 4   add      b + w·x            0, 3    1                -0.105754185569   1, 1
#> 5   sigmoid  σ(b + w·x)         4       0.73105857863    -0.53788284274    0.196611933241
#> 6   const    −1                         -1               -
#> 7   add      σ(b + w·x) − 1     5, 6    -0.26894142137   -0.53788284274    1, -
#> 8   const    2                          2                -
#> 9   pow      (σ(b + w·x) − 1)²  7, 8    0.0723294881285  1                 -0.53788284274, -
#>
#> f = 0.0723294881285
#> ∇f = [-0.105754185569, -0.211508371137, -0.0528770927843]  (∂f/∂b, ∂f/∂w, ∂f/∂x)

# The graph as JSON, for a program.
symgrad backprop "x*y + x" --at x=2,y=3 --format json
#> {
#>   "expression": "x*y + x",
#>   "variables": [
#>     "x",
#>     "y"
#>   ],
#>   "at": {
#>     "x": "2",
#>     "y": "3"
#>   },
#>   "value": 8.0,
#>   "nodes": [
#>     {
#>       "id": 0,
#>       "op": "var",
#>       "expression": "x",
#>       "value": 2.0,
#>       "adjoint": 4.0,
#>       "inputs": [],
#>       "local": []
#>     },
#>     {
#>       "id": 1,
#>       "op": "var",
#>       "expression": "y",
#>       "value": 3.0,
#>       "adjoint": 2.0,
#>       "inputs": [],
#>       "local": []
#>     },
#>     {
#>       "id": 2,
#>       "op": "mul",
#>       "expression": "x*y",
#>       "value": 6.0,
#>       "adjoint": 1.0,
#>       "inputs": [
#>         0,
#>         1
#>       ],
#>       "local": [
#>         3.0,
#>         2.0
#>       ]
#>     },
#>     {
#>       "id": 3,
#>       "op": "add",
#>       "expression": "x*y + x",
#>       "value": 8.0,
#>       "adjoint": 1.0,
#>       "inputs": [
#>         2,
#>         0
#>       ],
#>       "local": [
#>         1.0,
#>         1.0
#>       ]
#>     }
#>   ],
#>   "gradient": {
#>     "x": 4.0,
#>     "y": 2.0
#>   }
#> }
