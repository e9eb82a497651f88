#!/usr/bin/python3
"""test_ome_zarr_python: OME-Zarr interoperates with Debian's python3-zarr (issue 16).
(a) Images written by python3-zarr (NGFF 0.4 multiscales in .zattrs, zlib and blosc compressors,
    uint16 and uint8, "." and "/" chunk keys, edge chunks, a chunk left unwritten as fill_value)
    open in `cdnet info` with their levels' sizes and scales, and `cdnet convert` to NRRD gives
    python's voxels exactly.
(b) Pyramids written by `cdnet pyramid` (every compressor) and `cdnet convert --levels` (uint8,
    uint16, float32) open in python3-zarr with the input at level 0 and the 2x block means of the
    level above at every other level, and the multiscales metadata that NGFF 0.4 asks for.
(c) With CDNET_STUDIO_EXECUTABLE: python3-zarr's images open in the studio (`cdnet-studio
    --screenshot` under xvfb-run exits 0 only when the file opened), and one with a damaged chunk
    fails cleanly (exit 1, not a signal) with a message naming the chunk file.
Exits 77 (skipped) only when zarr or numpy is missing.
Usage: test_ome_zarr_python.py CDNET_EXECUTABLE [CDNET_STUDIO_EXECUTABLE]
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import zarr
    from numcodecs import Blosc, Zlib
except ImportError as e:
    print("skipped: python3-zarr or numpy is missing (%s)" % e, file=sys.stderr)
    sys.exit(77)

CDNET = sys.argv[1]
STUDIO = sys.argv[2] if len(sys.argv) > 2 else None
ENV = dict(os.environ, CDNET_PROGRESS="0")
failures = []


def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def cdnet(*args):
    return subprocess.run([CDNET] + [str(a) for a in args], capture_output=True, text=True, env=ENV)


def block_mean(a):
    """2x2x2 means of a (z, y, x) array, partial border blocks over what they hold; integers rounded."""
    z, y, x = a.shape
    out = np.zeros(((z + 1) // 2, (y + 1) // 2, (x + 1) // 2))
    for oz in range(out.shape[0]):
        for oy in range(out.shape[1]):
            for ox in range(out.shape[2]):
                out[oz, oy, ox] = a[2 * oz:2 * oz + 2, 2 * oy:2 * oy + 2, 2 * ox:2 * ox + 2].astype(np.float64).mean()
    if np.issubdtype(a.dtype, np.integer):
        return np.floor(out + 0.5).astype(a.dtype)
    return out.astype(a.dtype)


def read_nrrd(path):
    """Voxels of an uncompressed little-endian NRRD as a (z, y, x) array."""
    with open(path, "rb") as f:
        blob = f.read()
    end = blob.index(b"\n\n")
    header = dict(l.split(": ", 1) for l in blob[:end].decode().splitlines()[1:] if ": " in l)
    check(header.get("encoding") == "raw" and header.get("endian", "little") == "little", "%s is raw little-endian" % path)
    dtype = {"uint8": np.uint8, "uint16": "<u2", "float": "<f4"}[header["type"]]
    sx, sy, sz = (int(s) for s in header["sizes"].split())
    return np.frombuffer(blob[end + 2:], dtype=dtype).reshape(sz, sy, sx)


def write_python_ome_zarr(path, data, compressor, separator, spacing):
    """An NGFF 0.4 image with two levels, as a python3-zarr user writes it."""
    store = zarr.DirectoryStore(path, dimension_separator=separator)
    root = zarr.group(store=store, overwrite=True)
    levels = [data, block_mean(data)]
    datasets = []
    for k, lvl in enumerate(levels):
        a = root.create_dataset(str(k), shape=lvl.shape, chunks=(4, 8, 16), dtype=lvl.dtype, compressor=compressor,
                                fill_value=7, write_empty_chunks=False)
        a[...] = lvl
        f = 2 ** k
        datasets.append({"path": str(k), "coordinateTransformations": [
            {"type": "scale", "scale": [spacing[2] * f, spacing[1] * f, spacing[0] * f]},
            {"type": "translation", "translation": [(f - 1) / 2 * spacing[2], (f - 1) / 2 * spacing[1],
                                                    (f - 1) / 2 * spacing[0]]}]})
    root.attrs["multiscales"] = [{"version": "0.4", "name": "python",
                                  "axes": [{"name": n, "type": "space", "unit": "micrometer"} for n in "zyx"],
                                  "datasets": datasets}]
    return levels


def python_writes_cdnet_reads(tmp):
    rng = np.random.default_rng(16)
    shape = (11, 21, 37)  # z, y, x: no size a multiple of the chunks (4, 8, 16)
    cases = [("zlib", Zlib(level=5)), ("blosc-lz4", Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE)),
             ("blosc-zstd-bitshuffle", Blosc(cname="zstd", clevel=3, shuffle=Blosc.BITSHUFFLE)),
             ("blosc-zlib-noshuffle", Blosc(cname="zlib", clevel=4, shuffle=Blosc.NOSHUFFLE))]
    for dtype, top in ((np.uint16, 60000), (np.uint8, 250)):
        for sep in (".", "/"):
            for name, comp in cases:
                what = "%s %s keys '%s'" % (np.dtype(dtype).name, name, sep)
                data = (rng.random(shape) * top).astype(dtype)
                data[0:4, 0:8, 16:32] = 7  # one chunk equal to fill_value: python3-zarr leaves its file out
                path = os.path.join(tmp, "py-%s-%s-%s.zarr" % (np.dtype(dtype).name, name, "slash" if sep == "/" else "dot"))
                levels = write_python_ome_zarr(path, data, comp, sep, (0.5, 0.6, 0.7))
                key = sep.join(["0", "0", "1"])
                check(not os.path.exists(os.path.join(path, "0", key)), "%s: python3-zarr left the fill chunk out" % what)
                r = cdnet("info", "--json", path)
                check(r.returncode == 0, "%s: cdnet info exits 0 (%s)" % (what, r.stderr.strip()))
                if r.returncode != 0:
                    continue
                info = json.loads(r.stdout)
                check(info["format"] == "ome-zarr" and info["type"] == np.dtype(dtype).name,
                      "%s: info says ome-zarr %s, got %s %s" % (what, np.dtype(dtype).name, info["format"], info["type"]))
                check(info["size"] == [shape[2], shape[1], shape[0]], "%s: info size x, y, z %s" % (what, info["size"]))
                check(info["stats"]["min"] == float(data.min()) and info["stats"]["max"] == float(data.max()),
                      "%s: info's value range is python's" % what)
                got_levels = [(l["size"], l["spacing"]) for l in info.get("levels", [])]
                want_levels = [([l.shape[2], l.shape[1], l.shape[0]], [0.5 * 2 ** k, 0.6 * 2 ** k, 0.7 * 2 ** k])
                               for k, l in enumerate(levels)]
                check(len(got_levels) == 2 and all(g[0] == w[0] and np.allclose(g[1], w[1])
                                                   for g, w in zip(got_levels, want_levels)),
                      "%s: info lists both levels with python's sizes and scales, got %s" % (what, got_levels))
                out = path + ".nrrd"
                r = cdnet("convert", path, out)
                check(r.returncode == 0, "%s: cdnet convert to NRRD exits 0 (%s)" % (what, r.stderr.strip()))
                if r.returncode == 0:
                    check(np.array_equal(read_nrrd(out), data), "%s: cdnet convert gives python's voxels" % what)


def python_writes_studio_opens(tmp):
    rng = np.random.default_rng(18)
    data = (rng.random((12, 40, 50)) * 60000).astype(np.uint16)
    for name, comp, sep in (("zlib", Zlib(level=5), "."), ("blosc", Blosc(cname="lz4", clevel=5), "/")):
        path = os.path.join(tmp, "studio-%s.zarr" % name)
        write_python_ome_zarr(path, data, comp, sep, (0.5, 0.5, 0.5))
        shot = os.path.join(tmp, "studio-%s.png" % name)
        r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", STUDIO, "--screenshot", shot, path],
                           capture_output=True, text=True, env=ENV, timeout=120)
        check(r.returncode == 0 and os.path.getsize(shot) > 0,
              "studio opens python3-zarr's %s image (exit %d, %s)" % (name, r.returncode, r.stderr.strip()[-300:]))
    chunk = os.path.join(tmp, "studio-zlib.zarr", "0", "0.1.1")
    check(os.path.isfile(chunk), "the zlib image has chunk 0.1.1")
    with open(chunk, "wb") as f:
        f.write(b"not zlib data")
    r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", STUDIO, "--screenshot",
                        os.path.join(tmp, "damaged.png"), os.path.join(tmp, "studio-zlib.zarr")],
                       capture_output=True, text=True, env=ENV, timeout=120)
    check(r.returncode == 1 and chunk in r.stderr,
          "studio refuses a damaged chunk with exit 1 naming it (exit %d, %s)" % (r.returncode, r.stderr.strip()[-300:]))


def check_ours(path, data, what, compressor_id):
    g = zarr.open_group(path, mode="r")
    ms = g.attrs.get("multiscales", [{}])[0]
    check(ms.get("version") == "0.4" and [a["name"] for a in ms.get("axes", [])] == ["z", "y", "x"],
          "%s: NGFF 0.4 multiscales with axes z, y, x" % what)
    paths = [d["path"] for d in ms.get("datasets", [])]
    check(paths == ["0", "1", "2"], "%s: datasets 0, 1, 2, got %s" % (what, paths))
    want = data
    for k, p in enumerate(paths):
        a = g[p]
        check(a.dtype == data.dtype, "%s: level %d dtype %s" % (what, k, a.dtype))
        got_id = a.compressor.codec_id if a.compressor is not None else "none"
        check(got_id == compressor_id, "%s: level %d compressor %s" % (what, k, got_id))
        got = a[...]
        same = np.array_equal(got, want) if np.issubdtype(data.dtype, np.integer) else np.allclose(got, want, rtol=1e-6)
        check(got.shape == want.shape and same, "%s: level %d holds %s" % (what, k, "the input" if k == 0 else
                                                                              "the 2x block means of level %d" % (k - 1)))
        scale = [t for t in ms["datasets"][k]["coordinateTransformations"] if t["type"] == "scale"][0]["scale"]
        check(np.allclose(scale, [0.7 * 2 ** k, 0.6 * 2 ** k, 0.5 * 2 ** k]), "%s: level %d scale %s" % (what, k, scale))
        want = block_mean(want)


def cdnet_writes_python_reads(tmp):
    rng = np.random.default_rng(17)
    shape = (19, 23, 30)
    data = (rng.random(shape) * 60000).astype(np.uint16)
    raw = os.path.join(tmp, "in.raw")
    data.tofile(raw)
    for name, codec in (("blosc", "blosc"), ("blosc-zstd", "blosc"), ("zstd", "zstd"), ("zlib", "zlib"), ("gzip", "gzip"),
                        ("none", "none")):
        out = os.path.join(tmp, "ours-%s.zarr" % name)
        r = cdnet("pyramid", raw, out, "--raw-size", "30,23,19", "--raw-type", "uint16", "--spacing", "0.5,0.6,0.7",
                  "--levels", "3", "--chunk", "16,16,8", "--compressor", name)
        check(r.returncode == 0, "cdnet pyramid --compressor %s exits 0 (%s)" % (name, r.stderr.strip()))
        if r.returncode == 0:
            check_ours(out, data, "pyramid uint16 " + name, codec)
    for t, conv in (("uint8", lambda d: d.astype(np.uint8)),  # values below 250: kept as they are
                    ("float32", lambda d: d.astype(np.float32))):
        small = (rng.random(shape) * 250).astype(np.uint16)
        src = os.path.join(tmp, "small-%s.raw" % t)
        small.tofile(src)
        for name, codec in (("blosc", "blosc"), ("zlib", "zlib")):
            out = os.path.join(tmp, "conv-%s-%s.zarr" % (t, name))
            r = cdnet("convert", src, out, "--raw-size", "30,23,19", "--raw-type", "uint16", "--spacing", "0.5,0.6,0.7",
                      "--type", t, "--levels", "3", "--chunk", "16,16,8", "--compressor", name)
            check(r.returncode == 0, "cdnet convert --type %s --compressor %s exits 0 (%s)" % (t, name, r.stderr.strip()))
            if r.returncode == 0:
                check_ours(out, conv(small), "convert %s %s" % (t, name), codec)


with tempfile.TemporaryDirectory() as tmp:
    python_writes_cdnet_reads(tmp)
    cdnet_writes_python_reads(tmp)
    if STUDIO:
        python_writes_studio_opens(tmp)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
