"""From text to an expression: the safe parser, the function whitelist, points, and printing."""
