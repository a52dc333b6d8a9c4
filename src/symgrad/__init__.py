"""symgrad: symbolic calculus for machine learning on the command line.

Importing the package is cheap: the heavy parts (SymPy, NumPy, matplotlib) are imported by the
modules that need them, so ``symgrad --help`` starts fast.
"""

__version__ = "0.1.0"
