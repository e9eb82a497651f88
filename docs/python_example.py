#!/usr/bin/python3
# %% [markdown]
# # CDNet Studio from Python
# Notebook-style example of the `cdnet` module (Debian package cdnet-studio installs it for the
# system python3; from a build tree: PYTHONPATH=build/python). Run it as a script or cell by cell
# in Jupyter. Arrays are (z, y, x); spacing and origin are micrometres in (z, y, x) order.

# %%
import sys
import tempfile

import numpy as np

import cdnet

print("cdnet", cdnet.__version__)
work = tempfile.mkdtemp()
scan = sys.argv[1] if len(sys.argv) > 1 else None

# %% [markdown]
# ## Volumes: any format cdnet reads, as numpy
# `cdnet.open` reads only the header; `read(z0, z1)` reads a slab, so volumes larger than memory
# are processed piece by piece.

# %%
if scan is None:  # a small synthetic "scan": two grains, one with a crack
    z, y, x = np.mgrid[0:32, 0:64, 0:96]
    image = np.full((32, 64, 96), 40, np.uint8)
    for cx in (28, 68):
        image[(z - 16) ** 2 + (y - 32) ** 2 + (x - cx) ** 2 <= 14 ** 2] = 190
    image[:, 30:32, 16:40] = 40
    scan = f"{work}/scan.nrrd"
    cdnet.write(scan, image, spacing=(0.5, 0.5, 0.5))

volume = cdnet.open(scan)
print(volume.format, volume.shape, volume.dtype, "spacing", volume.spacing, "origin", volume.origin)
slab = volume.read(0, min(8, volume.shape[0]))       # the first slices only

# %% [markdown]
# ## Cracks with a CDNet model
# `cdnet.Model(path)` opens a checkpoint, a training folder, a TorchScript file, or with no path
# the starter model; `cdnet.Model.from_keras(file)` a checkpoint of the paper's Keras code.
# Prediction releases the GIL; Ctrl-C stops it with KeyboardInterrupt.

# %%
model = cdnet.Model(device="auto")
print("model", model.source, "base width", model.base_width, "on", model.device)
probability = model.predict(slab, progress=lambda f, stage: print(f"\r{100 * f:5.1f}% {stage}", end=""))
print("\ncrack voxels (p >= 0.5):", int((probability >= 0.5).sum()))
cdnet.write(f"{work}/cracks.h5", probability, spacing=volume.spacing)

# %% [markdown]
# ## Particles and their damage
# A pandas DataFrame when pandas is installed, else a dict of numpy arrays (columns as in
# `cdnet analyze`'s CSV).

# %%
table = cdnet.analyze(slab, probability, spacing=volume.spacing, threshold=0.5)
for name in ("id", "filled_volume_um3", "crack_fraction"):
    print(name, np.asarray(table[name])[:5])
