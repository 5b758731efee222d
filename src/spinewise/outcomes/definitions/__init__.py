"""Built-in instrument definition files (JSON); see :mod:`spinewise.outcomes.definition`."""
