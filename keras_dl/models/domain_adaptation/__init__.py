"""Domain-adversarial training: `DomainAdversarialModel` (DANN, CDAN, CDAN+E) and the
conditioning maps its domain classifier sees."""
