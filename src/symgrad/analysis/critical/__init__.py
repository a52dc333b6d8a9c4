"""Critical points: exact solutions of ∇f = 0, a numeric search, and their classification."""
