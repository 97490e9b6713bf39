"""Content: the model, YAML read with positions, validation, loading, reference checks."""
