#!/usr/bin/python3
"""test_python_module: the Python module `cdnet` (pybind11) against the command line and known values.

Volumes: numpy -> file -> numpy round trips keep voxels, dtype, spacing and origin (NRRD, TIFF,
HDF5), slabs read only the slices asked. Prediction: Model.predict equals `cdnet predict` on the
same image (same model, same tiles), reports progress, keeps other Python threads running (GIL
released) and stops on Ctrl-C with KeyboardInterrupt. Analysis: the particle table equals the
CSV of `cdnet analyze`, and a ball's filled volume is close to 4/3 pi r^3. Bad input (unsupported
dtype, wrong rank, truncated HDF5, a Keras file of another network) raises a Python exception
naming the argument or the file.
Usage: test_python_module.py CDNET_EXECUTABLE  (with PYTHONPATH holding the module)
"""
import csv
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

import cdnet

CDNET = sys.argv[1]
failures = []


def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + what)
    sys.stdout.flush()
    if not ok:
        failures.append(what)


def raises(exc, fn, *words):
    try:
        fn()
    except exc as e:
        text = str(e)
        return all(w in text for w in words), "%s: %s" % (type(e).__name__, text)
    except Exception as e:  # noqa: BLE001 - report the wrong kind
        return False, "wrong exception %s: %s" % (type(e).__name__, e)
    return False, "no exception"


def run(*args):
    p = subprocess.run([CDNET] + [str(a) for a in args], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def read_csv(path):
    with open(path) as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    header, body = rows[0], rows[1:]
    return {h: np.array([float(r[i]) if r[i] != "" else np.nan for r in body]) for i, h in enumerate(header)}


tmp = tempfile.mkdtemp(prefix="cdnet-py-")
rng = np.random.default_rng(18)

# ---- volumes ----
for ext in ("nrrd", "tif", "h5"):
    for dtype in (np.uint8, np.uint16, np.float32):
        a = (rng.random((5, 33, 47)) * 200).astype(dtype)
        path = os.path.join(tmp, "v_%s.%s" % (np.dtype(dtype).name, ext))
        cdnet.write(path, a, spacing=(2.0, 0.5, 0.25), origin=(10.0, 20.0, 30.0))
        f = cdnet.open(path)
        b = f.read()
        same = b.dtype == a.dtype and b.shape == a.shape and np.array_equal(a, b)
        geometry = np.allclose(f.spacing, (2.0, 0.5, 0.25)) and (ext == "tif" or np.allclose(f.origin, (10, 20, 30)))
        check(same and geometry, "%s %s round trip keeps voxels and geometry (spacing %s origin %s)" %
              (ext, np.dtype(dtype).name, f.spacing, f.origin))
a = (rng.random((6, 20, 30)) * 1000).astype(np.uint16)
cdnet.write(os.path.join(tmp, "slab.nrrd"), a)
f = cdnet.open(os.path.join(tmp, "slab.nrrd"))
check(f.shape == (6, 20, 30) and f.dtype == "uint16" and np.array_equal(f.read(2, 4), a[2:4]),
      "VolumeFile.read(2, 4) returns slices 2 and 3")
check(np.array_equal(cdnet.read(os.path.join(tmp, "slab.nrrd"))[:, 3, :], a[:, 3, :]), "read() strided views equal")
ok, text = raises(TypeError, lambda: cdnet.write(os.path.join(tmp, "c.nrrd"), np.zeros((3, 3), np.complex64)),
                  "array", "complex64")
check(ok, "complex64 array raises TypeError naming the argument and dtype: " + text)
ok, text = raises(ValueError, lambda: cdnet.write(os.path.join(tmp, "c.nrrd"), np.zeros((2, 2, 2, 2), np.uint8)), "array", "4-D")
check(ok, "4-D array raises ValueError naming the argument: " + text)
check(not os.path.exists(os.path.join(tmp, "c.nrrd")), "nothing written for a refused array")
missing = os.path.join(tmp, "missing.nrrd")
ok, text = raises(RuntimeError, lambda: cdnet.open(missing), missing)
check(ok, "a missing file raises RuntimeError naming it: " + text)
data = open(os.path.join(tmp, "v_uint16.h5"), "rb").read()
trunc = os.path.join(tmp, "truncated.h5")
open(trunc, "wb").write(data[: len(data) // 2])
ok, text = raises(RuntimeError, lambda: cdnet.read(trunc), trunc)
check(ok, "a truncated HDF5 file raises RuntimeError naming it: " + text)
ok, text = raises(RuntimeError, lambda: cdnet.Model.from_keras(trunc), trunc)
check(ok, "Model.from_keras on a truncated file raises RuntimeError naming it: " + text)
ok, text = raises(RuntimeError, lambda: cdnet.Model.from_keras(os.path.join(tmp, "v_uint16.h5")), "not a Keras")
check(ok, "Model.from_keras on a volume file raises RuntimeError: " + text)

# ---- prediction ----
model = cdnet.Model(device="cpu", threads=2)       # the starter model (CDNET_STARTER_MODEL)
check(model.base_width > 0 and model.parameters > 0, "the starter model loads: %s, base %d" % (model.source, model.base_width))
img = (rng.normal(120, 25, size=(2, 160, 200))).astype(np.float32)
img[:, 60:64, :] = 20.0                            # a dark line: a crack-like feature
seen = []
prob = model.predict(img, tile=128, overlap=32, progress=lambda fr, stage: seen.append(fr))
check(prob.shape == img.shape and prob.dtype == np.float32 and 0 <= prob.min() and prob.max() <= 1,
      "predict returns float32 probabilities of the image's shape")
check(len(seen) >= 2 and seen[-1] == 1.0 and all(b >= a for a, b in zip(seen, seen[1:])),
      "progress reports rise to 1.0 (%d calls)" % len(seen))
src = os.path.join(tmp, "img.h5")
out = os.path.join(tmp, "prob.h5")
cdnet.write(src, img)
rc, text = run("predict", "--input", src, "--out", out, "--tile", 128, "--overlap", 32, "--device", "cpu", "--threads", 2)
cli = cdnet.read(out) if rc == 0 else None
diff = np.abs(cli - prob).max() if cli is not None else float("inf")
check(diff < 1e-5, "Model.predict equals cdnet predict: max |difference| %.3g (%s)" % (diff, text.strip()[-80:]))
p2 = model.predict(img[1])
check(p2.shape == img.shape[1:] and np.abs(p2 - model.predict(img[1:2])[0]).max() < 1e-6, "a 2-D slice predicts as one slice")
ok, text = raises(TypeError, lambda: model.predict(np.zeros((64, 64), np.complex128)), "image")
check(ok, "predict on complex128 raises TypeError naming 'image': " + text)
ok, text = raises(TypeError, lambda: model.predict(img[0], progress=5), "progress")
check(ok, "a progress that is not callable raises TypeError naming it: " + text)

def failing(fraction, stage):
    raise ValueError("stop from the callback")


ok, text = raises(ValueError, lambda: model.predict(img, tile=128, overlap=32, progress=failing), "stop from the callback")
check(ok, "an exception in the progress callback stops prediction and is raised: " + text)

# GIL released: another Python thread keeps counting while prediction runs.
count = [0]
stop = threading.Event()


def spin():
    while not stop.is_set():
        count[0] += 1
        time.sleep(0.001)


big = rng.normal(0, 1, size=(4, 256, 256)).astype(np.float32)
t = threading.Thread(target=spin)
t.start()
t0 = time.time()
model.predict(big, tile=128, overlap=32)
spent = time.time() - t0
stop.set()
t.join()
check(count[0] > 20 * spent, "another Python thread ran %d iterations during a %.2f s prediction" % (count[0], spent))

# Ctrl-C: SIGINT half-way through stops a prediction that takes several times longer.
timer = threading.Timer(0.3 * spent + 0.1, lambda: os.kill(os.getpid(), signal.SIGINT))
t0 = time.time()
timer.start()
try:
    model.predict(np.concatenate([big] * 4), tile=128, overlap=32)
    interrupted = False
except KeyboardInterrupt:
    interrupted = True
elapsed = time.time() - t0
check(interrupted and elapsed < 2.5 * spent, "Ctrl-C raises KeyboardInterrupt after %.2f s of a ~%.1f s prediction" %
      (elapsed, 4 * spent))
check(np.isfinite(model.predict(img[0], tile=128, overlap=32)).all(), "the model still predicts after an interrupt")

# ---- analysis ----
z, y, x = np.mgrid[0:40, 0:48, 0:64]
image = np.full((40, 48, 64), 30, np.uint8)
balls = [((20, 24, 18), 10.0), ((20, 24, 46), 9.0)]
for (cz, cy, cx), r in balls:
    image[(z - cz) ** 2 + (y - cy) ** 2 + (x - cx) ** 2 <= r * r] = 200
cracks = np.zeros(image.shape, np.uint8)
cracks[18:22, 14:34, 12:24] = 1                    # a crack inside the first ball only
cracks &= image > 100
table = cdnet.analyze(image, cracks, spacing=(0.5, 0.5, 0.5), solid_threshold=100, dataframe=False)
check(isinstance(table, dict) and len(table["id"]) == 2, "analyze finds the 2 balls (%d rows)" % len(table.get("id", [])))
vol = table["filled_volume_um3"]
expected = [4 / 3 * np.pi * r ** 3 * 0.125 for _, r in balls]
order = np.argsort(table["centroid_x_um"])
rel = [abs(vol[i] - e) / e for i, e in zip(order, expected)]
check(max(rel) < 0.1, "filled volumes within 10%% of 4/3 pi r^3 (relative errors %s)" % np.round(rel, 3))
frac = table["crack_fraction"][order]
check(frac[0] > 0.01 and frac[1] < 1e-9, "crack fraction only in the cracked ball (%s)" % np.round(frac, 4))
img_path, crack_path, csv_path = (os.path.join(tmp, n) for n in ("ball.nrrd", "cracks.nrrd", "p.csv"))
cdnet.write(img_path, image, spacing=(0.5, 0.5, 0.5))
cdnet.write(crack_path, cracks, spacing=(0.5, 0.5, 0.5))
rc, text = run("analyze", "--image", img_path, "--cracks", crack_path, "--solid-threshold", 100, "--out-csv", csv_path)
ref = read_csv(csv_path) if rc == 0 else {}
mismatch = [k for k in ref if k not in table or not np.allclose(np.asarray(table[k], float), ref[k], rtol=1e-5,
                                                               atol=1e-6, equal_nan=True)]
check(rc == 0 and len(ref) > 10 and not mismatch,
      "analyze's %d columns equal cdnet analyze's CSV (mismatched: %s) %s" % (len(ref), mismatch, text.strip()[-60:]))
t2, labels = cdnet.analyze(image, cracks, spacing=(0.5, 0.5, 0.5), solid_threshold=100, return_labels=True,
                           dataframe=False)
check(labels.shape == image.shape and labels.dtype == np.uint32 and set(np.unique(labels)) == {0, 1, 2},
      "return_labels gives the uint32 particle labels")
try:
    import pandas  # noqa: F401
    df = cdnet.analyze(image, cracks, spacing=(0.5, 0.5, 0.5), solid_threshold=100)
    check(len(df) == 2 and "crack_fraction" in df.columns, "with pandas analyze returns a DataFrame")
except ImportError:
    df = cdnet.analyze(image, cracks, spacing=(0.5, 0.5, 0.5), solid_threshold=100)
    check(isinstance(df, dict), "without pandas analyze returns a dict of numpy arrays")
ok, text = raises(ValueError, lambda: cdnet.analyze(image, cracks[:, :, :10]), "cracks")
check(ok, "a crack volume of another shape raises ValueError naming 'cracks': " + text)
ok, text = raises(TypeError, lambda: cdnet.analyze(image.astype(np.complex64)), "image")
check(ok, "a complex image raises TypeError naming 'image': " + text)

table_files = cdnet.analyze(img_path, crack_path, solid_threshold=100, dataframe=False)
check(all(np.allclose(np.asarray(table_files[k], float), np.asarray(table[k], float), equal_nan=True) for k in table),
      "analyze on file paths (spacing from the file) equals analyze on the arrays")

# ---- labels and projects ----
labels = np.zeros(image.shape, np.uint8)
labels[20] = 1
labels[20, 22:26, 10:30] = 2
lab_path = os.path.join(tmp, "labels.nrrd")
cdnet.write_labels(lab_path, labels)
back = cdnet.read_labels(lab_path, shape=image.shape)
check(back.dtype == np.uint8 and np.array_equal(back, labels), "write_labels / read_labels round trip")
ok, text = raises(RuntimeError, lambda: cdnet.read_labels(lab_path, shape=(4, 4, 4)), lab_path)
check(ok, "labels of another shape raise RuntimeError naming the file: " + text)
ok, text = raises(ValueError, lambda: cdnet.write_labels(lab_path, labels.astype(np.int32) + 300), "labels", "0..255")
check(ok, "label values above 255 raise ValueError naming 'labels': " + text)
ok, text = raises(TypeError, lambda: cdnet.write_labels(lab_path, labels.astype(np.float32)), "labels")
check(ok, "float labels raise TypeError naming 'labels': " + text)
check(np.array_equal(cdnet.read_labels(lab_path), labels), "the refused writes left the saved labels intact")
proj_path = os.path.join(tmp, "p.cdnet")
project = cdnet.Project.create(proj_path, img_path)
check(project.image_path == img_path and project.labels_path == "" and
      np.array_equal(project.read_image(), image) and not project.read_labels().any(),
      "a new project opens its image and has empty labels")
project.save_labels(labels, annotated_slices=[20])
again = cdnet.Project(proj_path)
check(again.annotated_slices == [20] and os.path.exists(again.labels_path) and
      np.array_equal(again.read_labels(), labels), "saved labels and annotated slices reopen with the project (%s)" %
      again.labels_path)
check([c[0] for c in again.label_classes] == [0, 1, 2] and again.read_prediction() is None, "label classes, no prediction")
ok, text = raises(ValueError, lambda: again.save_labels(labels[:5]), "labels")
check(ok, "labels of another shape are refused: " + text)
bad_proj = os.path.join(tmp, "bad.cdnet")
open(bad_proj, "w").write("{ not json")
ok, text = raises(RuntimeError, lambda: cdnet.Project(bad_proj), bad_proj)
check(ok, "a damaged project raises RuntimeError naming it: " + text)

import shutil  # noqa: E402

shutil.rmtree(tmp, ignore_errors=True)
if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("all checks passed")
