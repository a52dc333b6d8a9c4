#!/bin/sh
# Second-order analysis: curvature, critical points and gradient checks. Run: sh examples/second_order.sh
# The lines starting with "#>" show what each command prints (the tests check them).

# The bowl's curvature: how large a learning rate gradient descent can take.
symgrad hessian "x**2 + 4*y**2" --at 1,2
#> expression  x² + 4y²
#> variables   x, y (the order of rows and columns)
#>
#> Hessian ∇²f
#>    x  y
#> x  2  0
#> y  0  8
#>
#> at x=1, y=2
#>    x  y
#> x  2  0
#> y  0  8
#>
#> eigenvalues       2, 8
#> definiteness      positive definite
#> condition number  κ = 4
#> stable steps      lr < 2/λmax = 0.25
#> best fixed lr     2/(λmin+λmax) = 0.2
#> convergence       the error shrinks by about (κ−1)/(κ+1) = 0.6 per step at the best lr
#> meaning           a bowl (curving up in every direction): near here gradient descent behaves as on the quadratic with this Hessian, so the step sizes above apply

# A minimum and a saddle.
symgrad critical "x**3 - 3*x + y**2"
#> expression  x³ − 3x + y²
#> variables   x, y
#> gradient    ∇f = [3x² − 3, 2y]
#>
#> critical point  decimal  f   kind     why
#> x=-1, y=0       -1, 0    2   saddle   eigenvalues of ∇²f: -6, 2
#> x=1, y=0        1, 0     −2  minimum  eigenvalues of ∇²f: 2, 6
#>
#> complete: these are all the critical points (solved exactly)

# The saddle of a hyperbolic paraboloid.
symgrad critical "x**2 - y**2"
#> expression  x² − y²
#> variables   x, y
#> gradient    ∇f = [2x, −2y]
#>
#> critical point  decimal  f  kind    why
#> x=0, y=0        0, 0     0  saddle  eigenvalues of ∇²f: -2, 2
#>
#> complete: these are all the critical points (solved exactly)

# The profit curve has its maximum at p = 5.
symgrad critical "-20*p**2 + 200*p - 300"
#> expression  −20p² + 200p − 300
#> variables   p
#> gradient    f' = 200 − 40p
#>
#> critical point  decimal  f    kind     why
#> p=5             5        200  maximum  f'' = -40
#>
#> complete: these are all the critical points (solved exactly)

# Flat at the origin: the second-derivative test cannot decide, the third derivative can.
symgrad critical "x**3"
#> expression  x³
#> variables   x
#> gradient    f' = 3x²
#>
#> critical point  decimal  f  kind        why
#> x=0             0        0  inflection  f'' = 0 and f⁽³⁾ = 6 is the first non-zero derivative (odd order): not a minimum or maximum
#>
#> complete: these are all the critical points (solved exactly)

# A hand-derived gradient with a mistake in the first component (exit 1).
symgrad check "x**2*y" --at 1,2 --grad "2*x, x**2"
#> expression          x²·y
#> variables           x, y
#> at                  x=1, y=2
#> finite differences  central, (f(x+h·eᵢ) − f(x−h·eᵢ))/(2h) with h=6.06e-06, h=1.21e-05 (ε^(1/3)·max(1, |xᵢ|)); error O(h²): about h²·|f'''|/6 + ε·|f|/h
#>
#> symbolic gradient vs finite differences
#>        symbolic  exact  decimal  finite diff.    |difference|  expected  verdict
#> ∂f/∂x  2x·y      4      4        3.99999999997   3.4e-11       7.3e-11   agrees
#> ∂f/∂y  x²        1      1        0.999999999996  3.9e-12       3.7e-11   agrees
#>
#> your gradient vs the true one
#>        yours  value  true value  abs error  rel error  verdict
#> ∂f/∂x  2x     2      4           2          0.5        WRONG
#> ∂f/∂y  x²     1      1           0          0          correct
#>
#> finite differences agree with the symbolic gradient to within their error.
#> your gradient is WRONG in component 1 (∂f/∂x).
#> Error: your gradient differs from the true one in component 1 (∂f/∂x): you gave 2*x = 2, the true value is 2*x*y = 4
#> [exit 1]

# The slope of the bowl along the diagonal, as JSON.
symgrad grad "x**2 + 4*y**2" --at 1,2 --direction 1,1 --format json
#> {
#>   "expression": "x**2 + 4*y**2",
#>   "variables": [
#>     "x",
#>     "y"
#>   ],
#>   "gradient": [
#>     "2*x",
#>     "8*y"
#>   ],
#>   "latex": [
#>     "2 x",
#>     "8 y"
#>   ],
#>   "direction": [
#>     0.7071067811865476,
#>     0.7071067811865476
#>   ],
#>   "direction_normalised": true,
#>   "directional_expression": "sqrt(2)*x + 4*sqrt(2)*y",
#>   "at": {
#>     "x": "1",
#>     "y": "2"
#>   },
#>   "value": [
#>     "2",
#>     "16"
#>   ],
#>   "numeric": [
#>     2.0,
#>     16.0
#>   ],
#>   "norm": 16.1245154965971,
#>   "norm_exact": "2*sqrt(65)",
#>   "descent_direction": [
#>     -0.12403473458920845,
#>     -0.9922778767136676
#>   ],
#>   "directional_derivative": "9*sqrt(2)",
#>   "directional_numeric": 12.727922061357855
#> }
