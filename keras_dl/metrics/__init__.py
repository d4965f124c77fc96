"""Metrics (Frechet distance).

Not implemented yet: see the README's feature table.
"""
