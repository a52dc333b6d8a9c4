"""Gradient descent on compiled float functions: optimizers, schedules, the loop and its diagnosis.

Everything here but ``plan`` works on floats and never imports SymPy; ``plan`` is the one bridge from
an expression to the compiled functions the loop runs.
"""
