"""Adversarial domain adaptation on a real shift: MNIST -> UCI digits (DANN, CDAN, CDAN+E).

Source: the first 2,000 images of the shared MNIST test set, with labels.
Target: scikit-learn's bundled UCI digits (Alpaydin & Kaynak 1998) rendered
in MNIST's framing (`keras_dl.datasets.load("digits", image_size=28)`): the
first 1,000 unlabelled for adaptation, the other 797 for testing. The
images differ in resolution (8x8 upsampled, blurry and thick strokes) and
writers, and a network trained on MNIST alone reads about two thirds of them.

Every method trains the same LeNet-style networks (conv 32@5x5, pool,
conv 48@5x5, pool, flatten = features; label head 100-100-10; domain head
100-1, wider input for CDAN) with the recipe of Ganin et al. 2016, section
5.2.2: SGD with momentum 0.9, learning rate mu_p = 0.01 / (1 + 10 p)^0.75
(`keras_dl.optimizers.InverseDecay`), reversal weight lambda_p = 2 / (1 +
exp(-10 p)) - 1 (`keras_dl.callbacks.GradientReversalScheduler`), batches
of 64 source and 64 target images reshuffled every epoch
(`keras_dl.datasets.domain_adaptation`), 20 epochs. Source-only is the
same model with lambda = 0. Methods: DANN (Ganin et al., JMLR 2016), CDAN
and CDAN+E (Long et al., NeurIPS 2018).

The script prints the target test accuracy per method and seed with mean
and spread, an ablation of the ingredients of the recipe (DANN with one
ingredient changed), writes a PNG of the PCA of source and target test
features before (source-only) and after adaptation (DANN), and TensorBoard
logs for every run.

Run: python examples/domain_adaptation_digits.py [--epochs 20] [--seeds 0 1 2]
    [--log-dir runs/domain_adaptation_digits] [--no-ablation]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import keras
import numpy as np
from PIL import Image, ImageDraw
from sklearn.decomposition import PCA

from keras_dl import callbacks, datasets, models, optimizers

SOURCE_SIZE = 2000
TARGET_ADAPTATION_SIZE = 1000
BATCH_SIZE = 64
# name: (conditioning, entropy_weighting, reversal on)
METHODS = {
    "source_only": (None, False, False),
    "dann": (None, False, True),
    "cdan": ("multilinear", False, True),
    "cdan_e": ("multilinear", True, True),
}
# DANN with one ingredient of the recipe changed.
ABLATIONS = {
    "adam_1e-3_constant": "Adam 1e-3 instead of SGD + InverseDecay",
    "no_reshuffle": "the same source/target pairs every epoch",
    "inputs_in_[-1,1]": "inputs scaled to [-1, 1] (the CDAN code's normalisation)",
}


def digits_shift():
    """`(x_source, y_source), x_target, (x_test, y_test)` of MNIST -> UCI digits."""
    (x_mnist, y_mnist), _ = example_data.load_shared_mnist()
    pairs = list(datasets.load("digits", "all", image_size=28).as_numpy_iterator())
    x_digits = np.stack([image for image, _ in pairs])
    y_digits = np.array([label for _, label in pairs])
    return ((x_mnist[:SOURCE_SIZE], y_mnist[:SOURCE_SIZE]), x_digits[:TARGET_ADAPTATION_SIZE],
            (x_digits[TARGET_ADAPTATION_SIZE:], y_digits[TARGET_ADAPTATION_SIZE:]))


def networks(conditioning, classes=10, domain_activation=None):
    """The LeNet-style feature extractor, label head and domain head (a logit by default;
    `domain_activation="sigmoid"` gives ADAPT's convention)."""
    features = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 5, activation="relu"),
         keras.layers.MaxPooling2D(), keras.layers.Conv2D(48, 5, activation="relu"),
         keras.layers.MaxPooling2D(), keras.layers.Flatten()],
        name="features",
    )
    width = features.output_shape[-1]
    labels = keras.Sequential(
        [keras.Input((width,)), keras.layers.Dense(100, activation="relu"),
         keras.layers.Dense(100, activation="relu"),
         keras.layers.Dense(classes, activation="softmax")],
        name="labels",
    )
    domain_width = width * classes if conditioning == "multilinear" else width
    domains = keras.Sequential(
        [keras.Input((domain_width,)), keras.layers.Dense(100, activation="relu"),
         keras.layers.Dense(1, activation=domain_activation)],
        name="domains",
    )
    return features, labels, domains


def train(shift, method, seed, epochs, log_dir, ablation=None):
    """Trains one method (optionally with one ablated ingredient); returns the model and
    its target test accuracy."""
    (x_source, y_source), x_target, (x_test, y_test) = shift
    if ablation == "inputs_in_[-1,1]":
        x_source, x_target, x_test = (2.0 * x - 1.0 for x in (x_source, x_target, x_test))
    keras.utils.set_random_seed(seed)
    conditioning, entropy_weighting, reversal = METHODS[method]
    model = models.DomainAdversarialModel(
        *networks(conditioning), lambda_=0.0, conditioning=conditioning,
        entropy_weighting=entropy_weighting, seed=seed, name=method,
    )
    batches = datasets.domain_adaptation((x_source, y_source), x_target, BATCH_SIZE,
                                         shuffle=ablation != "no_reshuffle", seed=seed)
    if ablation == "adam_1e-3_constant":
        optimizer = keras.optimizers.Adam(1e-3)
    else:
        schedule = optimizers.InverseDecay(epochs * int(batches.cardinality()), 0.01)
        optimizer = keras.optimizers.SGD(schedule, momentum=0.9)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    run_name = f"{method}_{ablation}_seed{seed}" if ablation else f"{method}_seed{seed}"
    extra = [callbacks.GradientReversalScheduler(gamma=10.0)] if reversal else []
    model.fit(batches, epochs=epochs, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(os.path.join(log_dir, run_name)), *extra])
    accuracy = model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    return model, accuracy


def print_table(title, rows, seeds):
    print(f"\n{title}")
    print(f"{'':<22}" + "".join(f"seed {seed:<5}" for seed in seeds) + "mean   spread (std)")
    for name, accuracies in rows.items():
        cells = "".join(f"{accuracy:<10.3f}" for accuracy in accuracies)
        print(f"{name:<22}{cells}{np.mean(accuracies):.3f}  {np.std(accuracies):.3f}")


def feature_pca_png(path, panels, size=360, margin=12):
    """Writes side-by-side scatter plots of 2-D PCA projections (source blue, target orange).

    Args:
        path: the PNG file.
        panels: a list of `(source_features, target_features)`; one PCA per panel.
    """
    image = Image.new("RGB", (size * len(panels), size), "white")
    draw = ImageDraw.Draw(image)
    for index, (source, target) in enumerate(panels):
        points = PCA(2).fit_transform(np.concatenate([source, target]))
        low, high = points.min(axis=0), points.max(axis=0)
        pixels = margin + (points - low) / (high - low) * (size - 2 * margin)
        for (x, y), colour in zip(pixels, ["#1f77b4"] * len(source) + ["#ff7f0e"] * len(target)):
            x += index * size
            draw.ellipse((x - 1.5, y - 1.5, x + 1.5, y + 1.5), fill=colour)
        draw.rectangle((index * size, 0, (index + 1) * size - 1, size - 1), outline="black")
    image.save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--log-dir", default=os.path.join("runs", "domain_adaptation_digits"))
    parser.add_argument("--no-ablation", dest="ablation", action="store_false")
    args = parser.parse_args()
    if not example_data.shared_mnist_available():
        raise SystemExit(f"the shared MNIST data is absent ({example_data.SHARED_MNIST_DIR})")
    shift = digits_shift()
    print(f"source: {SOURCE_SIZE} MNIST digits; target: {TARGET_ADAPTATION_SIZE} UCI digits at "
          f"28x28 (unlabelled); test: {len(shift[2][1])} other UCI digits; {args.epochs} epochs")

    results, trained = {}, {}
    for method in METHODS:
        results[method] = []
        for seed in args.seeds:
            model, accuracy = train(shift, method, seed, args.epochs, args.log_dir)
            results[method].append(accuracy)
            print(f"{method} seed {seed}: target accuracy {accuracy:.3f}", flush=True)
            if seed == args.seeds[0]:
                trained[method] = model
    print_table("Target test accuracy (MNIST -> UCI digits)", results, args.seeds)
    gains = np.subtract(results["dann"], results["source_only"])
    print(f"DANN - source-only: mean {gains.mean():+.3f}, per seed {np.round(gains, 3).tolist()}")

    if args.ablation:
        rows = {"dann (recipe)": results["dann"]}
        for ablation, description in ABLATIONS.items():
            rows[ablation] = [train(shift, "dann", seed, args.epochs, args.log_dir, ablation)[1]
                              for seed in args.seeds]
            print(f"ablation {ablation} ({description}) done", flush=True)
        rows["source_only (recipe)"] = results["source_only"]
        print_table("Ablation: DANN with one ingredient changed", rows, args.seeds)

    x_source_test = example_data.load_shared_mnist()[1][0][:800]
    x_target_test = shift[2][0]
    path = os.path.join(args.log_dir, "features_pca.png")
    os.makedirs(args.log_dir, exist_ok=True)
    feature_pca_png(path, [
        (keras.ops.convert_to_numpy(trained[name].features(x_source_test)),
         keras.ops.convert_to_numpy(trained[name].features(x_target_test)))
        for name in ("source_only", "dann")
    ])
    print("\nPCA of test features (left: source-only, right: DANN; blue MNIST, orange UCI): "
          f"{path}")
    print(f"TensorBoard: tensorboard --logdir {args.log_dir}")


if __name__ == "__main__":
    main()
