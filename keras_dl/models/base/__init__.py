"""The training template every keras_dl model builds on (`BaseModel`) and its helpers:
loss trackers, saved random state, SavedModel endpoints, the NaN guard, batch helpers,
replica arithmetic, classifier heads and the divergences several families penalise."""
