"""Where the gradients of max and average pooling go, on a real digit.

Backpropagation through max pooling sends each window's upstream gradient to
the window's argmax only; average pooling spreads it equally over the window,
and overlapping windows (3x3, stride 2) accumulate. This script takes a real
digit (from the shared MNIST test set, or scikit-learn's digits when it is
absent), backpropagates a gradient of ones through both poolings and writes,
for each window configuration, a picture [digit | max-pool gradient |
average-pool gradient] as PNG files and to TensorBoard.

Run: python examples/pooling_backprop.py [--output-dir runs/pooling_backprop]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import keras
import numpy as np
import tensorflow as tf

from keras_dl.layers import MaxPoolingWithArgmax2D


def input_gradient(pooling, image):
    image = tf.constant(image[None])
    with tf.GradientTape() as tape:
        tape.watch(image)
        pooled = pooling(image)
        pooled = pooled[0] if isinstance(pooled, tuple) else pooled
        total = tf.reduce_sum(pooled)
    return tape.gradient(total, image).numpy()[0]


def to_panel(array, scale):
    """Scales an (H, W, 1) array to [0, 1] and enlarges it `scale` times."""
    span = array.max() - array.min()
    normalised = (array - array.min()) / span if span > 0 else np.zeros_like(array)
    return np.kron(normalised, np.ones((scale, scale, 1)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default=os.path.join("runs", "pooling_backprop"))
    parser.add_argument("--index", type=int, default=0, help="which test digit to use")
    args = parser.parse_args()

    source, _, (x_test, _) = example_data.load_digit_images()
    image = x_test[args.index]
    scale = max(1, 224 // image.shape[0])
    os.makedirs(args.output_dir, exist_ok=True)
    writer = tf.summary.create_file_writer(args.output_dir)
    print(f"digit #{args.index} from {source}, {image.shape[0]}x{image.shape[1]} pixels")

    for step, (pool, stride) in enumerate([(2, 2), (3, 2)]):
        max_gradient = input_gradient(keras.layers.MaxPooling2D(pool, stride), image)
        argmax_gradient = input_gradient(MaxPoolingWithArgmax2D(pool, stride), image)
        average_gradient = input_gradient(keras.layers.AveragePooling2D(pool, stride), image)
        assert np.allclose(max_gradient, argmax_gradient), (
            "argmax pooling must route like max pooling"
        )
        separator = np.ones((image.shape[0] * scale, 4, 1))
        picture = np.concatenate(
            [
                to_panel(image, scale),
                separator,
                to_panel(max_gradient, scale),
                separator,
                to_panel(average_gradient, scale),
            ],
            axis=1,
        ).astype("float32")
        name = f"pool{pool}_stride{stride}"
        png_path = os.path.join(args.output_dir, f"{name}.png")
        tf.io.write_file(png_path, tf.io.encode_png(tf.cast(picture * 255, tf.uint8)))
        with writer.as_default():
            tf.summary.image(f"gradients/{name}", picture[None], step=step)
        windows = int(
            np.prod(
                keras.layers.MaxPooling2D(pool, stride).compute_output_shape((1,) + image.shape)
            )
        )
        print(
            f"{pool}x{pool} windows, stride {stride}: {windows} windows; max pooling sends "
            "gradient to "
            f"{int((max_gradient != 0).sum())} pixels (max {max_gradient.max():g}), average "
            "pooling to "
            f"{int((average_gradient != 0).sum())} pixels (max {average_gradient.max():g}); "
            f"wrote {png_path}"
        )
    writer.flush()
    print(f"TensorBoard: tensorboard --logdir {args.output_dir}")


if __name__ == "__main__":
    main()
