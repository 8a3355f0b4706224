"""The rule engine: rule files (rules/*.yaml) loaded, conditions evaluated, Python checks run."""
