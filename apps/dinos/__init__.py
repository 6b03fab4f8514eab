"""Dinosaurus Island: a character-level language model that invents dinosaur names.

    python -m apps.dinos train              # on the embedded genus names
    python -m apps.dinos sample --num 10
    python -m apps.dinos score tyrannosaurus --json
"""
