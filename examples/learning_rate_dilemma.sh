#!/bin/sh
# The learning-rate dilemma, in one command each. Run: sh examples/learning_rate_dilemma.sh
# The lines starting with "#>" show what each command prints (the tests check them).

# On x^2 the curvature is L = f'' = 2, so plain gradient descent converges only for lr < 2/L = 1:
# lr = 1 bounces between 10 and -10 for ever, lr = 0.001 crawls, lr = 0.1 arrives.
symgrad descend "x**2" --start 10 --lr 1,0.001,0.1
#> f = x², from x=10, sgd
#>
#> lr     status     steps        final f  final ‖∇f‖  final point      verdict           loss (log scale)
#> 1      max_steps    100            100  20          x=10             too large         ████████████████████
#> 0.001  max_steps    100      67.005161  16.37       x=8.185668       too slow          ████████████████████
#> 0.1    converged     76  1.8607071e-13  8.627e-07   x=4.3135915e-07  minimum (global)  ███▇▇▆▆▆▅▅▄▄▃▃▃▂▂▁▁▁
#>
#> lr=1: lr too large: lr=1 is not below 2/L = 1, so the steps overshoot; try --lr 0.5
#> lr=0.001: too slow: lr=0.001 is far below 1/L = 0.5 (L = 2, the largest curvature here); try --lr 0.5
#> lr=0.1: minimum (global: the lowest of 1 critical point)
#> ended lowest: lr=0.1, f = 1.8607071342e-13

# Each step written out: x <- x - lr*f'(x), with the numbers put in.
symgrad descend "x**2" --start 10 --lr 1,0.1 --steps 2 --show-work
#> sgd on f = x² (lr=1)
#>
#> step 0   x = 10
#>   f′(x) = 2x = 2·10 = 20
#>   x ← x − lr·f′(x) = 10 − 1·20 = −10
#> step 1   x = −10
#>   f′(x) = 2x = 2·(−10) = −20
#>   x ← x − lr·f′(x) = −10 − 1·(−20) = 10
#> step 2   x = 10
#>   f′(x) = 2x = 2·10 = 20
#>
#> status   reached the step limit of 2 with ‖∇f‖ = 20.0 > tol = 1e-6
#> final    x=10; f = 100; ‖∇f‖ = 20
#> speed    ... steps/s
#> loss     ▁▁▁  f from 100 to 100
#> verdict  lr too large: lr=1 is not below 2/L = 1, so the steps overshoot; try --lr 0.5
#> sgd on f = x² (lr=0.1)
#>
#> step 0   x = 10
#>   f′(x) = 2x = 2·10 = 20
#>   x ← x − lr·f′(x) = 10 − 0.1·20 = 8
#> step 1   x = 8
#>   f′(x) = 2x = 2·8 = 16
#>   x ← x − lr·f′(x) = 8 − 0.1·16 = 6.4
#> step 2   x = 6.4
#>   f′(x) = 2x = 2·6.4 = 12.8
#>
#> status   reached the step limit of 2 with ‖∇f‖ = 12.8 > tol = 1e-6
#> final    x=6.4; f = 40.96; ‖∇f‖ = 12.8
#> speed    ... steps/s
#> loss     █▄▁  f from 100 to 40.96
#> verdict  not settled: ‖∇f‖ = 12.8 at the step limit; the nearest critical point, x = 0, is a minimum; try more --steps
#> f = x², from x=10, sgd
#>
#> lr   status     steps  final f  final ‖∇f‖  final point  verdict    loss
#> 1    max_steps      2      100  20          x=10         too large  ███
#> 0.1  max_steps      2    40.96  12.8        x=6.4        -          █▄▁
#>
#> lr=1: lr too large: lr=1 is not below 2/L = 1, so the steps overshoot; try --lr 0.5
#> lr=0.1: not settled: ‖∇f‖ = 12.8 at the step limit; the nearest critical point, x = 0, is a minimum; try more --steps
#> ended lowest: lr=0.1, f = 40.96

# Two valleys: which start finds the global minimum of x^4 - 2x^2 + x/2?
symgrad descend "x**4-2*x**2+x/2" --start -1.5 --start 1.5 --lr 0.05
#> f = x⁴ − 2x² + x/2, lr=0.05, sgd
#>
#> start   status     steps      final f  final ‖∇f‖  final point   verdict           loss
#> x=-1.5  converged     23   -1.5147536  5.723e-07   x=-1.0574538  minimum (global)  ▄▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁
#> x=1.5   converged     37  -0.51674851  7.01e-07    x=0.93040304  minimum (local)   █▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃
#>
#> from x=-1.5: minimum (global: the lowest of 3 critical points)
#> from x=1.5: minimum, local only: f = -1.51475 at x = -1.05745 is lower
#> ended lowest: from x=-1.5, f = -1.51475364128

# A saddle point stops plain gradient descent (the gradient is zero there) ...
symgrad descend "x**2-y**2" --start 1,0 --summary
#> sgd on f = x² − y² (lr=0.1)
#>
#> status   converged after 66 steps: ‖∇f‖ = 8.03e-7 ≤ tol = 1e-6
#> final    x=4.017345111e-07, y=0; f = 1.6139061738e-13; ‖∇f‖ = 8.03469022129e-07
#> speed    ... steps/s
#> loss     ██████▇▇▇▇▆▆▆▆▆▅▅▅▅▅▄▄▄▄▄▃▃▃▃▃▂▂▂▂▁▁▁▁▁▁  f from 1 to 1.61391e-13, log scale
#> verdict  saddle point, not a minimum: f falls along (0, 1); a small push escapes it, e.g. --noise 0.01

# ... and a little noise in the gradient, as stochastic gradients carry, pushes it off.
symgrad descend "x**2-y**2" --start 1,0 --noise 0.01 --seed 1 --steps 50 --summary
#> sgd on f = x² − y² (lr=0.1, noise σ=0.01 (seed 1))
#>
#> status   reached the step limit of 50 with ‖∇f‖ = 7.83 > tol = 1e-6
#> final    x=0.0005930904036, y=-3.916993058; f = -15.3428342642; ‖∇f‖ = 7.83398620568
#> speed    ... steps/s
#> loss     ██████████████████████████████████▇▇▆▅▃▁  f from 1 to -15.3428
#> verdict  unbounded: f falls without bound along the path, so there is no minimum to reach
#> Error: sgd: f falls without bound, so there is no minimum to reach (see the verdict)
#> [exit 1]

# On the flat tail of the sigmoid the gradient fades long before any minimum.
symgrad descend "(sigmoid(w)-0.5)**2" --start w=10 --summary
#> sgd on f = (σ(w) − 1/2)² (lr=0.1)
#>
#> status   reached the step limit of 100 with ‖∇f‖ = 4.54e-5 > tol = 1e-6
#> final    w=9.999545981; f = 0.249954583579; ‖∇f‖ = 4.54122956059e-05
#> speed    ... steps/s
#> loss     █████▇▇▇▇▇▆▆▆▆▆▅▅▅▅▅▄▄▄▄▄▃▃▃▃▃▂▂▂▂▂▁▁▁▁▁  f from 0.249955 to 0.249955
#> verdict  plateau: ‖∇f‖ = 4.5e-05 has faded far from any critical point (the nearest, w = 0, is a minimum); it comes from the flat tail of σ: σ′(u) = σ(u)(1 − σ(u)) = 4.5e-05 at u = 10
