"""Generative adversarial networks: `GAN` (its loss a strategy from `keras_dl.losses`)
and `ConditionalGAN`."""
