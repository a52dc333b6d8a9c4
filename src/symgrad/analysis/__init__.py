"""What symgrad computes about an expression: derivatives, Hessians, critical points, checks,
backpropagation and explanations. Each module returns frozen results for ``render`` to show."""
