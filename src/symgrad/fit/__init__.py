"""``symgrad fit``: learn a model's parameters from a table by descending its symbolic loss.

``data`` reads the CSV, ``model`` splits the model's names into data and parameters, ``losses`` holds
the per-row losses, ``compiled`` turns them into a NumPy value-and-gradient over all rows (or a
batch), and ``plan`` sets up and runs the fit with ``descend``'s loop.
"""
