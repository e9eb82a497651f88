#!/usr/bin/python3
"""test_import_keras: `cdnet import-keras` maps the paper's Keras CDNet (model.py) onto ours.

Writes Keras HDF5 files (whole model and weights only, the layout train.py's ModelCheckpoint
writes) from known random weights with h5py, computes the Keras graph's output with an
independent numpy reference of model.py (NHWC, TensorFlow 'same' padding: the 2x2 convolutions
pad one pixel at the bottom and right), and checks that the imported checkpoint run by
`cdnet predict` gives the same probabilities within 1e-4. Then bad input: another architecture is
refused naming the first layer that does not fit, a truncated file names the file; never a crash.
Usage: test_import_keras.py CDNET_EXECUTABLE
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

CDNET = sys.argv[1]
BASE = 4          # model.py has 64; the mapping infers it (small for a fast test)
H, W = 64, 96     # multiples of 32, as the reference requires
TOL = 1e-4
failures = []


def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def conv_specs(b):
    """model.py's 24 convolutions in creation order: (kernel size, in, out)."""
    s = []
    cin, w = 1, b
    for _ in range(5):
        s += [(3, cin, w), (3, w, w)]
        cin, w = w, w * 2
    w = cin
    for _ in range(4):
        s += [(2, w, w // 2), (3, w, w // 2), (3, w // 2, w // 2)]
        w //= 2
    s += [(3, b, 2), (1, 2, 1)]
    return s


def random_weights(rng, b):
    out = []
    for k, cin, cout in conv_specs(b):
        kern = rng.normal(0, np.sqrt(2.0 / (k * k * cin)), size=(k, k, cin, cout)).astype(np.float32)
        bias = rng.normal(0, 0.1, size=(cout,)).astype(np.float32)
        out.append((kern, bias))
    return out


# ---- the reference: model.py's graph in numpy (float64, NHWC without N) ----
def conv_same(x, kern, bias, tf_padding=True):
    k = kern.shape[0]
    before, after = (k - 1) // 2, (k - 1) - (k - 1) // 2   # TensorFlow: the extra pixel at the end
    if not tf_padding:
        before, after = after, before
    xp = np.pad(x, ((before, after), (before, after), (0, 0)))
    h, w = x.shape[:2]
    y = np.zeros((h, w, kern.shape[3]))
    for dy in range(k):
        for dx in range(k):
            y += xp[dy:dy + h, dx:dx + w, :] @ kern[dy, dx].astype(np.float64)
    return y + bias


def relu(x):
    return np.maximum(x, 0)


def keras_reference(image, weights, tf_padding=True):
    x = image.astype(np.float64)
    x = (x - x.mean()) / max(x.std(), 1e-7)       # the reference's per-slice z-score
    x = x[:, :, None]
    it = iter(weights)

    def c(t):
        kern, bias = next(it)
        return relu(conv_same(t, kern, bias, tf_padding))

    pool = lambda t: t.reshape(t.shape[0] // 2, 2, t.shape[1] // 2, 2, -1).max(axis=(1, 3))
    up = lambda t: t.repeat(2, axis=0).repeat(2, axis=1)
    feats = []
    for level in range(5):
        x = c(c(x))
        if level < 4:
            feats.append(x)
            x = pool(x)
    for level in range(4):
        u = c(up(x))
        x = c(c(np.concatenate([feats[3 - level], u], axis=2)))
    x = c(x)                                       # 3x3 to 2 channels, ReLU
    kern, bias = next(it)
    logits = conv_same(x, kern, bias)              # 1x1, sigmoid
    return 1.0 / (1.0 + np.exp(-logits[:, :, 0]))


# ---- Keras HDF5 files, as Keras 2 writes them ----
def layer_sequence(n_conv=24):
    """model.py's layers with their default Keras names, weighted or not."""
    names = ["input_1"]
    conv = iter(range(1, n_conv + 1))
    nc = lambda: "conv2d_%d" % next(conv, 0)
    for level in range(5):
        names += [nc(), nc()]
        if level == 3:
            names.append("dropout_1")
        if level < 4:
            names.append("max_pooling2d_%d" % (level + 1))
    names.append("dropout_2")
    for level in range(4):
        names += ["up_sampling2d_%d" % (level + 1), nc(), "concatenate_%d" % (level + 1), nc(), nc()]
    names += [nc(), nc()]
    return [n for n in names if n != "conv2d_0"]


def model_config(n_conv, changed=None):
    """model.py's Conv2D layers as Keras writes them in model_config; changed = (layer, key, value)."""
    layers = []
    for i in range(1, n_conv + 1):
        name = "conv2d_%d" % i
        cfg = {"name": name, "padding": "same", "activation": "sigmoid" if i == n_conv else "relu",
               "strides": [1, 1], "dilation_rate": [1, 1]}
        if changed and changed[0] == name:
            cfg[changed[1]] = changed[2]
        layers.append({"name": name, "class_name": "Conv2D", "config": cfg})
    return json.dumps({"class_name": "Model", "config": {"name": "model_1", "layers": layers}}).encode()


def write_keras(path, weights, whole=True, extra=None, changed=None):
    with h5py.File(path, "w") as f:
        if whole:
            f.attrs["keras_version"] = b"2.2.4-tf"
            f.attrs["backend"] = b"tensorflow"
            f.attrs["model_config"] = model_config(len(weights), changed)
            g = f.create_group("model_weights")
        else:
            g = f
        names = layer_sequence(len(weights))
        if extra:
            names.insert(names.index("conv2d_5"), extra[0])
        g.attrs["layer_names"] = np.array([n.encode() for n in names])
        g.attrs["backend"] = b"tensorflow"
        it = iter(weights)
        for n in names:
            lg = g.create_group(n)
            if extra and n == extra[0]:
                lg.attrs["weight_names"] = np.array([(n + "/" + w + ":0").encode() for w in extra[1]])
                for w, v in extra[1].items():
                    lg.create_dataset(n + "/" + w + ":0", data=v)
            elif n.startswith("conv2d_"):
                kern, bias = next(it)
                lg.attrs["weight_names"] = np.array([(n + "/kernel:0").encode(), (n + "/bias:0").encode()])
                lg.create_dataset(n + "/kernel:0", data=kern)
                lg.create_dataset(n + "/bias:0", data=bias)
            else:
                lg.attrs["weight_names"] = np.array([], dtype=np.float64)


def run(*args):
    p = subprocess.run([CDNET] + [str(a) for a in args], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def predict(model, image, tmp):
    inp = os.path.join(tmp, "in.h5")
    out = os.path.join(tmp, "prob.h5")
    with h5py.File(inp, "w") as f:
        f.create_dataset("/exchange/data", data=image[None].astype(np.float32))
    rc, text = run("predict", "--model", model, "--input", inp, "--out", out, "--device", "cpu", "--threads", "2",
                   "--precision", "fp32")  # within 1e-4 of Keras: bf16 (auto on some CPUs) is not
    if rc != 0:
        print(text)
        return None
    with h5py.File(out, "r") as f:
        return np.asarray(f["/exchange/data"][0], dtype=np.float64)


with tempfile.TemporaryDirectory() as tmp:
    rng = np.random.default_rng(18)
    weights = random_weights(rng, BASE)
    image = rng.normal(100.0, 20.0, size=(H, W)).astype(np.float32)
    # Some structure so that the network's output varies over the image.
    image[20:30, :] -= 60.0
    ref = keras_reference(image, weights)
    check(ref.std() > 1e-3, "the reference output varies over the image (std %.4g)" % ref.std())

    for whole in (True, False):
        kind = "whole model" if whole else "weights only"
        keras = os.path.join(tmp, "keras_%d.hdf5" % whole)
        pt = os.path.join(tmp, "imported_%d.pt" % whole)
        write_keras(keras, weights, whole=whole)
        rc, text = run("import-keras", keras, "--out", pt)
        check(rc == 0 and "base width %d" % BASE in text, "import-keras (%s) converts the file: %s" % (kind, text.strip()))
        got = predict(pt, image, tmp)
        diff = np.abs(got - ref).max() if got is not None else float("inf")
        check(diff < TOL, "imported model (%s) reproduces the Keras graph: max |difference| %.3g < %g" % (kind, diff, TOL))

    # The 2x2 convolutions' padding matters: padding at the top/left instead changes the output.
    wrong = keras_reference(image, weights, tf_padding=False)
    check(np.abs(wrong - ref).max() > 10 * TOL,
          "top/left padding of the 2x2 convolutions would differ by %.3g (the check can fail)" % np.abs(wrong - ref).max())

    # Bad input: another network (a batch normalisation before conv2d_5), a changed kernel, too few layers.
    bad = os.path.join(tmp, "other.hdf5")
    bn = {n: np.ones(2 * BASE, np.float32) for n in ("gamma", "beta", "moving_mean", "moving_variance")}
    write_keras(bad, weights, extra=("batch_normalization_1", bn))
    rc, text = run("import-keras", bad, "--out", os.path.join(tmp, "x.pt"))
    check(rc == 1 and "batch_normalization_1" in text and bad in text,
          "another network is refused naming the layer and the file: " + text.strip())
    w2 = list(weights)
    w2[6] = (np.zeros((5, 5, 2 * BASE, 4 * BASE), np.float32), w2[6][1])
    write_keras(bad, w2)
    rc, text = run("import-keras", bad, "--out", os.path.join(tmp, "x.pt"))
    check(rc == 1 and "conv2d_7" in text, "a 5x5 kernel in layer 7 is refused naming conv2d_7: " + text.strip())
    write_keras(bad, weights[:20])
    rc, text = run("import-keras", bad, "--out", os.path.join(tmp, "x.pt"))
    check(rc == 1 and "20 convolution layers" in text, "too few layers are refused: " + text.strip())
    for changed, word in ((("conv2d_3", "padding", "valid"), "padding"), (("conv2d_24", "activation", "relu"), "activation")):
        write_keras(bad, weights, changed=changed)
        rc, text = run("import-keras", bad, "--out", os.path.join(tmp, "x.pt"))
        check(rc == 1 and changed[0] in text and word in text,
              "model_config with %s %s in %s is refused naming the layer: %s" % (word, changed[2], changed[0], text.strip()))
    check(not os.path.exists(os.path.join(tmp, "x.pt")), "no checkpoint is written for a refused file")

    good = os.path.join(tmp, "keras_1.hdf5")
    data = open(good, "rb").read()
    for cut in (len(data) // 2, 1000):
        trunc = os.path.join(tmp, "truncated.hdf5")
        open(trunc, "wb").write(data[:cut])
        rc, text = run("import-keras", trunc, "--out", os.path.join(tmp, "t.pt"))
        check(rc == 1 and trunc in text, "a file truncated to %d bytes is an error naming it: %s" % (cut, text.strip()))

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("all checks passed")
