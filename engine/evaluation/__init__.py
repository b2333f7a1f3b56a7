"""How good are synthetic images: one module per metric, a registry, features, cache and reports."""
