"""Ready architectures (ResNet, NiN, GoogLeNet, CNN-LSTM, DCGAN).

Not implemented yet: see the README's feature table.
"""
