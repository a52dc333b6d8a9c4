#!/bin/sh
# Derivatives and gradients: the classic exercises. Run: sh examples/derivatives.sh
# The lines starting with "#>" show what each command prints (the tests check them).

# The derivative of a cubic, and its slope at x=2.
symgrad diff "3*x**3-5*x**2+2" --at x=2
#> expression  3x³ − 5x² + 2
#> variables   x
#> derivative  d/dx = 9x² − 10x
#>
#> at   exact  decimal
#> x=2  16     16

# What people type works too: 3x^2 means 3*x**2.
symgrad diff "3x^2+2x" --at x=1
#> expression  3x² + 2x
#> variables   x
#> derivative  d/dx = 6x + 2
#>
#> at   exact  decimal
#> x=1  8      8

# A profit curve is flat at its maximum, p=5.
symgrad diff "-20*p**2+200*p-300" --at p=5
#> expression  −20p² + 200p − 300
#> variables   p
#> derivative  d/dp = 200 − 40p
#>
#> at   exact  decimal
#> p=5  0      0

# The gradient of a bowl, its length and the way downhill.
symgrad grad "x**2+4*y**2" --at 1,2
#> expression  x² + 4y²
#> variables   x, y (the order of the vector)
#> gradient    ∇f = [2x, 8y]
#>
#> at x=1, y=2
#>        exact  decimal
#> ∂f/∂x  2      2
#> ∂f/∂y  16     16
#> ‖∇f‖   2√65   16.1245154966
#> steepest descent direction −∇f/‖∇f‖ = [-0.124035, -0.992278]

# The gradient of a hill, as JSON.
symgrad grad "100 - x**2 - 2*y**2" --at x=3,y=1 --format json
#> {
#>   "expression": "-x**2 - 2*y**2 + 100",
#>   "variables": [
#>     "x",
#>     "y"
#>   ],
#>   "gradient": [
#>     "-2*x",
#>     "-4*y"
#>   ],
#>   "latex": [
#>     "- 2 x",
#>     "- 4 y"
#>   ],
#>   "at": {
#>     "x": "3",
#>     "y": "1"
#>   },
#>   "value": [
#>     "-6",
#>     "-4"
#>   ],
#>   "numeric": [
#>     -6.0,
#>     -4.0
#>   ],
#>   "norm": 7.211102550927978,
#>   "norm_exact": "2*sqrt(13)",
#>   "descent_direction": [
#>     0.8320502943378437,
#>     0.5547001962252291
#>   ]
#> }
