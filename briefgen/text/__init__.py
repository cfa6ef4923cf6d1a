"""Knowledge of scripts and fonts: direction, the shipped fonts and what they cover."""
