#!/bin/sh
# Learning parameters from data with symgrad fit. Run: sh examples/fit.sh
# The lines starting with "#>" show what each command prints (the tests check them).

# The three houses of the material: price = w·size, learned from w = 0 with lr 0.00001.
symgrad fit "w*size" --data examples/houses.csv --target price --lr 0.00001 --summary
#> model       price ≈ w·size
#> parameters  w
#> data        size → price, 3 rows
#> loss        L(w) = (1/n) Σᵢ (priceᵢ − w·sizeᵢ)²
#> gradient    ∂L/∂w = −(2/n) Σᵢ sizeᵢ·(priceᵢ − w·sizeᵢ)
#> curvature   λmax = 23333.3, so lr < 2/λmax = 8.57143e-05; condition number 1 (the Hessian of L is constant)
#>
#> sgd (lr=1e-05)
#>
#> status   converged after 93 steps: ‖∇L‖ = 8.66e-7 ≤ tol = 1e-6
#> final    w=2; L = 1.6063226102e-17; ‖∇L‖ = 8.65804376341e-07
#> speed    ... steps/s
#> loss     █████▇▇▇▇▇▆▆▆▆▆▅▅▅▅▅▄▄▄▄▄▃▃▃▃▃▂▂▂▂▂▁▁▁▁▁  L from 46666.7 to 1.60632e-17, log scale
#> verdict  minimum (global: L is convex in the parameters)
#>
#> fitted         w=1.99999999996
#> loss           L = 1.6063226102e-17 over all rows; ‖∇L‖ = 8.65804376341e-07
#> R²             1
#> least squares  w=2 (distance 3.71e-11)

# Two features on different scales (size in m², rooms): standardized, and back in the original units.
symgrad fit "w*size+v*rooms+b" --data examples/flats.csv --target price --standardize --lr 0.3 --steps 2000 --summary
#> model         price ≈ b + v·rooms + w·size
#> parameters    b, v, w
#> data          rooms, size → price, 5 rows
#> loss          L(b, v, w) = (1/n) Σᵢ (priceᵢ − (b + v·roomsᵢ + w·sizeᵢ))²
#> gradient      ∂L/∂b = −(2/n) Σᵢ (priceᵢ − (b + v·roomsᵢ + w·sizeᵢ))
#>               ∂L/∂v = −(2/n) Σᵢ roomsᵢ·(priceᵢ − (b + v·roomsᵢ + w·sizeᵢ))
#>               ∂L/∂w = −(2/n) Σᵢ sizeᵢ·(priceᵢ − (b + v·roomsᵢ + w·sizeᵢ))
#> standardized  rooms = (rooms − 2.4)/1.0198, size = (size − 100)/34.0588
#> curvature     λmax = 3.95778, so lr < 2/λmax = 0.505334; condition number 93.7354 (the Hessian of L is constant)
#>
#> sgd (lr=0.3)
#>
#> status   converged after 1127 steps: ‖∇L‖ = 9.96e-7 ≤ tol = 1e-6
#> final    b=229, v=10.19805571, w=68.11752878; L = 1.17583275446e-11; ‖∇L‖ = 9.96464216783e-07
#> speed    ... steps/s
#> loss     █▇▇▆▆▆▆▆▆▅▅▅▅▅▅▄▄▄▄▄▄▃▃▃▃▃▃▂▂▂▂▂▂▁▁▁▁▁▁▁  L from 58545 to 1.17583e-11, log scale
#> verdict  minimum (global: L is convex in the parameters)
#>
#> fitted          b=229, v=10.198055715, w=68.1175287759
#> original units  b=5.0000097241, v=10.0000163637, w=1.99999951003
#> loss            L = 1.17583275446e-11 over all rows; ‖∇L‖ = 9.96464216783e-07
#> R²              1
#> least squares   b=229, v=10.1980390272, w=68.1175454637 (distance 2.36e-05)
#>                 b=5, v=10, w=2 in the original units

# Pass or fail against hours of study: logistic regression, the cross-entropy loss.
symgrad fit "sigmoid(w*hours+b)" --data examples/exam.csv --target passed --loss logistic --lr 0.5 --steps 2000 --summary
#> model       passed ≈ σ(b + w·hours)
#> parameters  b, w
#> data        hours → passed, 10 rows
#> loss        L(b, w) = −(1/n) Σᵢ [passedᵢ·log pᵢ + (1 − passedᵢ)·log(1 − pᵢ)], pᵢ = σ(b + w·hoursᵢ)
#> gradient    ∂L/∂b = (1/n) Σᵢ (pᵢ − passedᵢ)
#>             ∂L/∂w = (1/n) Σᵢ hoursᵢ·(pᵢ − passedᵢ)
#>
#> sgd (lr=0.5)
#>
#> status   converged after 1225 steps: ‖∇L‖ = 9.94e-7 ≤ tol = 1e-6
#> final    b=-3.44173895, w=1.490920145; L = 0.486593113598; ‖∇L‖ = 9.94075990914e-07
#> speed    ... steps/s
#> loss     █▃▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  L from 0.693147 to 0.486593
#> verdict  minimum (global: L is convex in the parameters)
#>
#> fitted  b=-3.4417389503, w=1.49092014493
#> loss    L = 0.486593113598 over all rows; ‖∇L‖ = 9.94075990914e-07
