"""Training callbacks (gradient reversal schedule, image sampling).

Not implemented yet: see the README's feature table.
"""
