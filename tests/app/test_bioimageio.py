#!/usr/bin/python3
"""test_bioimageio: `cdnet export --format bioimageio` writes a bioimage.io model package that
the bioimage.io tools can run, and `cdnet predict --model package.zip` runs one.

Checks the zip's rdf.yaml for the fields the 0.5 spec requires (type, format_version, name,
description, authors, cite, license, documentation, covers, inputs/outputs with axes, test
tensors and zero-mean unit-variance preprocessing, TorchScript weights) and that every file it
names is in the package; that the packaged test output is reproduced by loading the packaged
weights with Python's torch and applying the preprocessing as rdf.yaml states it; that cdnet
predict on the package equals cdnet predict on the checkpoint; and bad input: a package without
TorchScript weights and a truncated zip are errors naming the file.
Usage: test_bioimageio.py CDNET_EXECUTABLE CHECKPOINT
"""
import io
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
import yaml

CDNET, CHECKPOINT = sys.argv[1], sys.argv[2]
failures = []


def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def run(*args):
    p = subprocess.run([CDNET] + [str(a) for a in args], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


tmp = tempfile.mkdtemp(prefix="cdnet-bioimageio-")
pkg = os.path.join(tmp, "cdnet.zip")
rc, text = run("export", "--format", "bioimageio", "--model", CHECKPOINT, "--out", pkg)
check(rc == 0 and os.path.exists(pkg), "export writes the package: " + text.strip())
z = zipfile.ZipFile(pkg)
check(z.testzip() is None, "every zip entry passes its CRC check")
rdf = yaml.safe_load(z.read("rdf.yaml"))
required = ["type", "format_version", "name", "description", "authors", "cite", "license", "documentation", "covers",
            "inputs", "outputs", "weights", "timestamp"]
check(all(k in rdf for k in required) and rdf["type"] == "model" and rdf["format_version"].startswith("0.5"),
      "rdf.yaml has the required fields of spec 0.5 (missing: %s)" % [k for k in required if k not in rdf])
check(rdf["license"] == "MIT" and rdf["authors"][0]["name"] and rdf["cite"][0].get("doi"), "license, authors, citation")
inp, out = rdf["inputs"][0], rdf["outputs"][0]
axes = [a.get("id", a["type"]) for a in inp["axes"]]
check(axes == ["batch", "channel", "y", "x"] and [a.get("id", a["type"]) for a in out["axes"]] == axes,
      "inputs and outputs have axes batch, channel, y, x")
pre = inp["preprocessing"][0]
check(pre["id"] == "zero_mean_unit_variance" and pre["kwargs"]["axes"] == ["y", "x"],
      "per-sample zero-mean unit-variance preprocessing over y, x")
files = [rdf["documentation"], *rdf["covers"], inp["test_tensor"]["source"], out["test_tensor"]["source"],
         rdf["weights"]["torchscript"]["source"]]
check(all(f in z.namelist() for f in files), "every file rdf.yaml names is in the package: %s" % files)

import torch  # noqa: E402  (python3-torch; set up by packaging/setup.sh)

x = np.load(io.BytesIO(z.read(inp["test_tensor"]["source"])))
y = np.load(io.BytesIO(z.read(out["test_tensor"]["source"])))
eps = pre["kwargs"].get("eps", 1e-6)
xn = (x - x.mean(axis=(2, 3), keepdims=True)) / (x.std(axis=(2, 3), keepdims=True) + eps)
model = torch.jit.load(io.BytesIO(z.read(rdf["weights"]["torchscript"]["source"])))
with torch.no_grad():
    p = model(torch.from_numpy(xn.astype(np.float32))).numpy()
diff = np.abs(p - y).max()
check(p.shape == y.shape and diff < 1e-4, "the packaged weights reproduce the packaged test output: max |difference| %.3g" % diff)
check(y.std() > 1e-3 and 0 <= y.min() and y.max() <= 1, "the test output is a varying probability map (std %.3g)" % y.std())

# cdnet predict runs the package like the checkpoint.
import h5py  # noqa: E402

img = os.path.join(tmp, "img.h5")
with h5py.File(img, "w") as f:
    f.create_dataset("/exchange/data", data=x[0, :1].astype(np.float32))
outs = []
for m in (pkg, CHECKPOINT):
    o = os.path.join(tmp, "p_%d.h5" % len(outs))
    rc, text = run("predict", "--model", m, "--input", img, "--out", o, "--device", "cpu", "--threads", "2",
                   "--precision", "fp32")  # exact equality: bf16 (auto on some CPUs) moves values by ~0.01
    check(rc == 0, "cdnet predict --model %s runs: %s" % (os.path.basename(m), text.strip()[-100:]))
    outs.append(o)
if all(os.path.exists(o) for o in outs):
    a, b = (np.asarray(h5py.File(o, "r")["/exchange/data"]) for o in outs)
    check(np.abs(a - b).max() < 1e-5, "predict with the package equals predict with the checkpoint (%.3g)" % np.abs(a - b).max())

# Bad input.
nots = os.path.join(tmp, "onnx_only.zip")
with zipfile.ZipFile(nots, "w") as w:
    r = dict(rdf)
    r["weights"] = {"onnx": {"source": "weights.onnx"}}
    w.writestr("rdf.yaml", yaml.safe_dump(r))
    w.writestr("weights.onnx", b"not really")
rc, text = run("predict", "--model", nots, "--input", img, "--out", os.path.join(tmp, "x.nrrd"))
check(rc == 1 and "TorchScript" in text and nots in text, "a package without TorchScript weights is refused: " + text.strip())
trunc = os.path.join(tmp, "truncated.zip")
data = open(pkg, "rb").read()
open(trunc, "wb").write(data[: len(data) // 2])
rc, text = run("predict", "--model", trunc, "--input", img, "--out", os.path.join(tmp, "x.nrrd"))
check(rc == 1 and trunc in text, "a truncated package is an error naming it: " + text.strip())
check(not os.path.exists(os.path.join(tmp, "x.nrrd")), "no output for a refused package")

import shutil  # noqa: E402

shutil.rmtree(tmp, ignore_errors=True)
if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("all checks passed")
