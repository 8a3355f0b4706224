"""The rule engine: rule files loaded and checked against the registered code, conditions
evaluated, Python checks and adjusters run, each rule's scope honoured."""
