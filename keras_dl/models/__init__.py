"""Models with their own training step (RBMs, autoencoders, GANs, domain adaptation).

Not implemented yet: see the README's feature table.
"""
