"""PCA against a deep autoencoder and a DBN-pretrained deep autoencoder (30-D codes).

Hinton & Salakhutdinov, "Reducing the Dimensionality of Data with Neural
Networks", Science 313, 2006: on MNIST a 784-1000-500-250-30 autoencoder
pretrained as a stack of RBMs and fine-tuned with backpropagation reconstructs
test digits with an average squared error of 3.00 per image, against 13.87
for 30-component PCA (their Fig. 2B; logistic PCA 8.01).

This script runs the comparison on the shared MNIST split (first 8,000 test-set
images for training, last 2,000 for evaluation; scikit-learn's digits when
absent, with a smaller network), reporting the average squared error per
image (summed over pixels, averaged over images) on the 2,000 held-out
digits for:
- PCA with 30 components (exact);
- the deep autoencoder from random initialisation (Adam);
- the same autoencoder initialised from a greedily pretrained DBN
  (`DeepBeliefNetwork.pretrain` + `to_autoencoder`), then fine-tuned the same way.
Differences from the paper: 8,000 training images instead of 60,000, minutes
of CPU, sigmoid code units instead of linear ones, Adam instead of conjugate
gradients for fine-tuning.

Run: python examples/autoencoders_vs_pca.py [--pretrain-epochs 10] [--finetune-epochs 60]
     [--log-dir runs/autoencoders_vs_pca]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import keras
import numpy as np

from keras_dl import models

CODE_SIZE = 30


def squared_error_per_image(reconstructions, images):
    return float(np.mean(np.sum((np.asarray(reconstructions) - images) ** 2, axis=1)))


def deep_autoencoder(layer_sizes):
    encoder = keras.Sequential([keras.Input((layer_sizes[0],))], name="encoder")
    for units in layer_sizes[1:]:
        encoder.add(keras.layers.Dense(units, activation="sigmoid"))
    decoder = keras.Sequential([keras.Input((layer_sizes[-1],))], name="decoder")
    for units in reversed(layer_sizes[:-1]):
        decoder.add(keras.layers.Dense(units, activation="sigmoid"))
    return models.Autoencoder(encoder, decoder, name="deep_autoencoder")


def fine_tune(autoencoder, train, epochs, log_dir):
    autoencoder.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    autoencoder.fit(
        train,
        batch_size=100,
        epochs=epochs,
        verbose=0,
        callbacks=[keras.callbacks.TensorBoard(log_dir)],
    )
    return autoencoder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pretrain-epochs", type=int, default=10)
    parser.add_argument("--finetune-epochs", type=int, default=60)
    parser.add_argument("--log-dir", default=os.path.join("runs", "autoencoders_vs_pca"))
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    source, (x_train, _), (x_test, _) = example_data.load_digit_images()
    train, test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    pixels = train.shape[1]
    layer_sizes = (
        [pixels, 1000, 500, 250, CODE_SIZE] if pixels == 784 else [pixels, 128, 64, CODE_SIZE]
    )
    print(f"data: {source}; network {'-'.join(map(str, layer_sizes))}")
    results = {}

    pca = models.PCA(CODE_SIZE)
    pca.fit(train)
    results["PCA (30 components)"] = squared_error_per_image(pca.reconstruct(test), test)

    started = time.perf_counter()
    random_init = fine_tune(
        deep_autoencoder(layer_sizes),
        train,
        args.finetune_epochs,
        os.path.join(args.log_dir, "random_init"),
    )
    results["deep autoencoder, random init"] = squared_error_per_image(
        random_init.reconstruct(test), test
    )
    print(f"random-init autoencoder trained in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    dbn = models.DeepBeliefNetwork(layer_sizes[1:], seed=0)
    dbn.pretrain(
        train, epochs=args.pretrain_epochs, batch_size=100, optimizer=keras.optimizers.SGD(0.05)
    )
    pretrained = dbn.to_autoencoder(name="dbn_autoencoder")
    results["DBN-pretrained, before fine-tuning"] = squared_error_per_image(
        pretrained.reconstruct(test), test
    )
    fine_tune(pretrained, train, args.finetune_epochs, os.path.join(args.log_dir, "dbn_pretrained"))
    results["DBN-pretrained deep autoencoder"] = squared_error_per_image(
        pretrained.reconstruct(test), test
    )
    print(f"DBN pretraining and fine-tuning: {time.perf_counter() - started:.0f} s")

    print("\naverage squared error per held-out image:")
    for name, error in results.items():
        print(f"  {name:38s} {error:7.2f}")
    print("paper (full MNIST): PCA 13.87, DBN-pretrained deep autoencoder 3.00")
    print(f"TensorBoard: tensorboard --logdir {args.log_dir}")


if __name__ == "__main__":
    main()
