"""Pure Python/NumPy optimisation algorithms (no Django): maximally diverse grouping."""
