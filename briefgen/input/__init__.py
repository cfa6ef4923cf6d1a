"""Reading an input file: YAML with positions, validation, errors -> ``Session``."""
