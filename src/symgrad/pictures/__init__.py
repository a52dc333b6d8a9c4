"""Pictures: what a plot shows as numbers, matplotlib figures, and charts for a terminal."""
