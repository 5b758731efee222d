"""Exercise library and programme template data files (JSON)."""
