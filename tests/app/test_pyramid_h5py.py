#!/usr/bin/python3
"""test_pyramid_h5py: an HDF5 pyramid written by `cdnet pyramid` reads with h5py in the layout
README.md documents ("Chunked multiscale files"): the full resolution at /exchange/data (z, y, x,
chunked), level k at /exchange/data_levels/k holding 2x block means of level k-1 (partial blocks
at the far borders averaged over the voxels they hold, integers rounded half away from zero),
with the attributes scale, translation (z, y, x micrometres) and downsample_factor.
Exits 77 (skipped) only when h5py or numpy is missing.
Usage: test_pyramid_h5py.py CDNET_EXECUTABLE
"""
import os
import subprocess
import sys
import tempfile

try:
    import h5py
    import numpy as np
except ImportError as e:
    print("skipped: h5py or numpy is missing (%s)" % e, file=sys.stderr)
    sys.exit(77)

CDNET = sys.argv[1]
failures = []


def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def block_mean(a):
    """2x2x2 means of a uint16 (z, y, x) array, partial border blocks over what they hold."""
    z, y, x = a.shape
    out = np.zeros(((z + 1) // 2, (y + 1) // 2, (x + 1) // 2))
    for oz in range(out.shape[0]):
        for oy in range(out.shape[1]):
            for ox in range(out.shape[2]):
                out[oz, oy, ox] = a[2 * oz:2 * oz + 2, 2 * oy:2 * oy + 2, 2 * ox:2 * ox + 2].astype(np.float64).mean()
    return np.floor(out + 0.5).astype(np.uint16)


with tempfile.TemporaryDirectory() as tmp:
    rng = np.random.default_rng(16)
    shape = (19, 23, 30)  # z, y, x: odd sizes make partial blocks
    data = (rng.random(shape) * 60000).astype(np.uint16)
    raw = os.path.join(tmp, "in.raw")
    data.tofile(raw)  # little-endian uint16, x fastest
    out = os.path.join(tmp, "p.h5")
    env = dict(os.environ, CDNET_PROGRESS="0")
    r = subprocess.run([CDNET, "pyramid", raw, out, "--raw-size", "30,23,19", "--raw-type", "uint16", "--spacing",
                        "0.5,0.6,0.7", "--levels", "3", "--chunk", "16,16,8", "--compressor", "zlib"],
                       capture_output=True, text=True, env=env)
    check(r.returncode == 0, "cdnet pyramid exits 0 (%s)" % r.stderr.strip())
    with h5py.File(out, "r") as f:
        d0 = f["/exchange/data"]
        check(d0.shape == shape and d0.chunks is not None, "level 0 is (z, y, x) %s and chunked" % (d0.shape,))
        check(d0.compression == "gzip", "--compressor zlib gives deflate (h5py: gzip), got %s" % d0.compression)
        check(np.array_equal(d0[...], data), "level 0 holds the input voxels")
        check(np.allclose(d0.attrs["scale"], [0.7, 0.6, 0.5]), "level 0 scale is z, y, x spacing")
        check(int(d0.attrs["downsample_factor"]) == 1, "level 0 downsample_factor is 1")
        names = sorted(f["/exchange/data_levels"].keys())
        check(names == ["1", "2"], "levels 1 and 2 in /exchange/data_levels, got %s" % names)
        prev = data
        for k in (1, 2):
            d = f["/exchange/data_levels/%d" % k]
            want = block_mean(prev)
            check(d.shape == want.shape, "level %d shape %s" % (k, d.shape))
            check(np.array_equal(d[...], want), "level %d holds the 2x block means of level %d" % (k, k - 1))
            f_ = 2 ** k
            check(int(d.attrs["downsample_factor"]) == f_, "level %d downsample_factor %d" % (k, f_))
            check(np.allclose(d.attrs["scale"], [0.7 * f_, 0.6 * f_, 0.5 * f_]), "level %d scale" % k)
            t = [(f_ - 1) / 2 * s for s in (0.7, 0.6, 0.5)]
            check(np.allclose(d.attrs["translation"], t), "level %d translation %s" % (k, list(d.attrs["translation"])))
            check(np.allclose(d.attrs["spacing"], d.attrs["scale"]), "level %d spacing equals scale" % k)
            prev = want

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
