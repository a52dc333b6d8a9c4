#!/bin/sh
# Gradient descent you can watch. Run: sh examples/descent.sh
# The lines starting with "#>" show what each command prints (the tests check them).

# The parabola: x moves 0, 0.4, 0.72, 0.976, ... toward the minimum at x=2; x10 = 2 - 2*0.8^10.
symgrad descend "x**2-4*x+5" --start 0 --lr 0.1 --steps 10 --tol 0
#> sgd on f = x² − 4x + 5 (lr=0.1)
#>
#> step            x            f        ∂f/∂x      ‖∇f‖
#>    0            0            5           -4         4
#>    1          0.4         3.56         -3.2       3.2
#>    2         0.72       2.6384        -2.56      2.56
#>    3        0.976     2.048576       -2.048     2.048
#>    4       1.1808   1.67108864      -1.6384    1.6384
#>    5      1.34464   1.42949673     -1.31072   1.31072
#>    6     1.475712  1.274877907    -1.048576   1.04858
#>    7    1.5805696   1.17592186   -0.8388608  0.838861
#>    8   1.66445568  1.112589991  -0.67108864  0.671089
#>    9  1.731564544  1.072057594  -0.53687091  0.536871
#>   10  1.785251635   1.04611686  -0.42949673  0.429497
#>
#> status   ran all 10 steps (tol 0 turns the convergence test off)
#> final    x=1.785251635; f = 1.04611686018; ‖∇f‖ = 0.4294967296
#> speed    ... steps/s
#> loss     █▆▄▃▂▁▁▁▁▁▁  f from 5 to 1.04612
#> verdict  not settled: ‖∇f‖ = 0.429 at the step limit; the nearest critical point, x = 2, is a minimum; try more --steps

# The learning-rate dilemma. On x^2 (L = 2) steps converge only for lr < 2/L = 1.
# lr=0.001 is far too small: after 1000 steps x is still 10*0.998^1000 = 1.35.
symgrad descend "x**2" --start 10 --lr 0.001 --steps 1000 --summary
#> sgd on f = x² (lr=0.001)
#>
#> status   reached the step limit of 1000 with ‖∇f‖ = 2.7 > tol = 1e-6
#> final    x=1.350645224; f = 1.82424252238; ‖∇f‖ = 2.70129044893
#> speed    ... steps/s
#> loss     ██▇▆▆▅▅▄▄▄▃▃▃▂▂▂▂▂▂▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  f from 100 to 1.82424
#> verdict  too slow: lr=0.001 is far below 1/L = 0.5 (L = 2, the largest curvature here); try --lr 0.5
# lr=1.0 bounces between 10 and -10 for ever.
symgrad descend "x**2" --start 10 --lr 1.0 --steps 6
#> sgd on f = x² (lr=1)
#>
#> step    x    f  ∂f/∂x  ‖∇f‖
#>    0   10  100     20    20
#>    1  -10  100    -20    20
#>    2   10  100     20    20
#>    3  -10  100    -20    20
#>    4   10  100     20    20
#>    5  -10  100    -20    20
#>    6   10  100     20    20
#>
#> status   reached the step limit of 6 with ‖∇f‖ = 20.0 > tol = 1e-6
#> final    x=10; f = 100; ‖∇f‖ = 20
#> speed    ... steps/s
#> loss     ▁▁▁▁▁▁▁  f from 100 to 100
#> verdict  lr too large: lr=1 is not below 2/L = 1, so the steps overshoot; try --lr 0.5
# lr=1.5 diverges (exit code 1).
symgrad descend "x**2" --start 10 --lr 1.5 --every 5
#> sgd on f = x² (lr=1.5)
#>
#> step         x                f     ∂f/∂x         ‖∇f‖
#>    0        10              100        20           20
#>    5      -320           102400      -640          640
#>   10     10240        104857600     20480        20480
#>   15   -327680  1.073741824e+11   -655360       655360
#>   20  10485760  1.099511628e+14  20971520  2.09715e+07
#>
#> status  diverged at step 20: f rose from 100.0 to 1.1e14 (x=1.04858e+07)
#> final   x=10485760; f = 1.09951162778e+14; ‖∇f‖ = 20971520
#> speed   ... steps/s
#> loss    ▁▁▁▂▂▂▃▃▄▄▄▅▅▆▆▇▇▇███  f from 100 to 1.09951e+14, log scale
#> advice  lr=1.5 is above 2/L = 1.0 for this function; try --lr 0.5
#> Error: sgd diverged at step 20: see its status and advice above
#> [exit 1]

# A 2-D bowl: each step multiplies x by 0.8 and y by 0.6.
symgrad descend "x**2+2*y**2" --start 4,3 --lr 0.1 --steps 3 --tol 0
#> sgd on f = x² + 2y² (lr=0.1)
#>
#> step      x      y         f  ∂f/∂x  ∂f/∂y     ‖∇f‖
#>    0      4      3        34      8     12  14.4222
#>    1    3.2    1.8     16.72    6.4    7.2  9.63328
#>    2   2.56   1.08    8.8864   5.12   4.32  6.69901
#>    3  2.048  0.648  5.034112  4.096  2.592  4.84723
#>
#> status   ran all 3 steps (tol 0 turns the convergence test off)
#> final    x=2.048, y=0.648; f = 5.034112; ‖∇f‖ = 4.84723426296
#> speed    ... steps/s
#> loss     █▄▂▁  f from 34 to 5.03411
#> verdict  not settled: ‖∇f‖ = 4.85 at the step limit; the nearest critical point, x = 0, y = 0, is a minimum; try more --steps

# House prices: fit price = w*size to (50, 100), (100, 200), (150, 300) by mean squared error.
# The gradient at w=0 is -46666.67, so the first step with lr=1e-5 lands on w=0.46667.
symgrad descend "((100-w*50)**2+(200-w*100)**2+(300-w*150)**2)/3" --start w=0 --lr 1e-5 --steps 3 --tol 0 --format csv
#> step,w,f,grad_w,grad_norm
#> 0,0.0,46666.666666666664,-46666.666666666664,46666.666666666664
#> 1,0.4666666666666667,27429.629629629628,-35777.777777777774,35777.777777777774
#> 2,0.8244444444444444,16122.526748971193,-27429.629629629628,27429.629629629628
#> 3,1.0987407407407408,9476.462944673065,-21029.382716049382,21029.382716049382
symgrad descend "((100-w*50)**2+(200-w*100)**2+(300-w*150)**2)/3" --start w=0 --lr 1e-5 --summary
#> sgd on f = (100 − 50w)²/3 + (200 − 100w)²/3 + (300 − 150w)²/3 (lr=1e-05)
#>
#> status   converged after 93 steps: ‖∇f‖ = 8.66e-7 ≤ tol = 1e-6
#> final    w=2; f = 1.60629272964e-17; ‖∇f‖ = 8.65795300342e-07
#> speed    ... steps/s
#> loss     █████▇▇▇▇▇▆▆▆▆▆▅▅▅▅▅▄▄▄▄▄▃▃▃▃▃▂▂▂▂▂▁▁▁▁▁  f from 46666.7 to 1.60629e-17, log scale
#> verdict  minimum (global: the lowest of 1 critical point)

# Optimizers compared on Rosenbrock's banana valley, all from (-1, 1).
symgrad descend "(1-x)**2+100*(y-x**2)**2" --start -1,1 --lr 0.001 --steps 5000 --optimizer sgd,momentum,nesterov,adagrad,rmsprop,adam
#> f = (1 − x)² + 100·(−x² + y)², from x=-1, y=1, lr=0.001
#>
#> optimizer  status     steps        final f  final ‖∇f‖  final point                 verdict           loss (log scale)
#> sgd        max_steps   5000   0.0036271375  0.05653     x=0.93982604, y=0.88302334  -                 ███████▇▇▇▇▇▇▇▇▇▇▇▇▇
#> momentum   converged   3068  1.2469347e-12  9.98e-07    x=0.99999888, y=0.99999776  minimum (global)  ██▇▇▆▆▅▅▅▄▄▃▃▃▂▂▂▁▁▁
#> nesterov   converged   3082   1.242822e-12  9.963e-07   x=0.99999889, y=0.99999777  minimum (global)  ██▇▇▆▆▅▅▅▄▄▃▃▃▂▂▂▁▁▁
#> adagrad    max_steps   5000       3.673498  1.951       x=-0.9142153, y=0.84542172  -                 ████████████████████
#> rmsprop    max_steps   5000  0.00024711354  0.6689      x=0.99472181, y=0.99095221  -                 ███████▇▇▇▇▇▆▆▆▆▆▆▆▆
#> adam       max_steps   5000    0.000224306  0.01375     x=0.9850376, y=0.9702333    -                 ████████▇▇▇▇▇▇▇▇▆▆▆▆
#>
#> sgd: not settled: ‖∇f‖ = 0.0565 at the step limit; the nearest critical point, x = 1, y = 1, is a minimum; try more --steps
#> momentum: minimum (global: the lowest of 1 critical point)
#> nesterov: minimum (global: the lowest of 1 critical point)
#> adagrad: not settled: ‖∇f‖ = 1.95 at the step limit; the nearest critical point, x = 1, y = 1, is a minimum; try more --steps
#> rmsprop: undecided: the run did not settle
#> rmsprop: the steps flip direction without shrinking: lr=0.001 is too large here; try --lr 0.0001
#> adam: not settled: ‖∇f‖ = 0.0138 at the step limit; the nearest critical point, x = 1, y = 1, is a minimum; try more --steps
#> ended lowest: nesterov, f = 1.24282196227e-12
