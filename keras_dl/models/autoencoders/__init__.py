"""Autoencoders: the plain `Autoencoder` and its variants (denoising, sparse,
contractive, variational), each a small subclass overriding named hooks, and `PCA`."""
