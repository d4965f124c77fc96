"""Energy-based models: the restricted Boltzmann machine (its visible units, energy,
Gibbs sampling, contrastive divergence and partition function) and the deep belief
network."""
