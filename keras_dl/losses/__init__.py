"""GAN losses.

Not implemented yet: see the README's feature table.
"""
