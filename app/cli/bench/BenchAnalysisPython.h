#pragma once
// The Python reference of `cdnet bench analysis` (SciPy + scikit-image), written to a temporary
// file and run with /usr/bin/python3 at bench time.
namespace cli {
inline const char* kBenchAnalysisPython = R"PY(# Reference of `cdnet bench analysis`: the same segmentation and measurements with SciPy and
# scikit-image (Debian python3-scipy, python3-skimage). Reads raw volumes, prints one JSON line.
import json, math, sys, time
import numpy as np
from scipy import ndimage as ndi
from scipy.spatial import ConvexHull, cKDTree
from skimage import filters, measure, morphology, segmentation

a = json.loads(sys.argv[1])
nx, ny, nz = a["size"]
sp = tuple(a["spacing"][::-1])  # numpy order z, y, x
img = np.fromfile(a["image"], dtype=np.uint16).reshape(nz, ny, nx)
crack = np.fromfile(a["cracks"], dtype=np.uint8).reshape(nz, ny, nx).astype(bool)
times = {}
t = time.perf_counter()
def lap(name):
    global t
    now = time.perf_counter()
    times[name] = now - t
    t = now

# 1. solid phase: the threshold skimage would pick (timed), then the product's value for equal output
counts, edges = np.histogram(img, bins=256)  # 256 bins as the product (a uint16 image would get 65536)
classes = filters.threshold_multiotsu(hist=(counts, (edges[:-1] + edges[1:]) / 2), classes=3)
thr = a["threshold"]
sm = ndi.gaussian_filter(img.astype(np.float32), a["smoothing"], mode="reflect", truncate=3.0)
solid = sm >= thr
del sm
lap("threshold")
# 2. crack zone filled where a ball of radius r inside solid + zone covers it; holes filled
mins = min(sp)
zone = (ndi.distance_transform_edt(~crack, sampling=sp) <= a["crack_zone"] * mins * (1 + 1e-5)) & ~(solid & ~crack)
X = solid | zone
E = ndi.distance_transform_edt(X, sampling=sp) > a["crack_fill_radius"] * mins
keep = zone & (ndi.distance_transform_edt(~E, sampling=sp) <= a["crack_fill_radius"] * mins * (1 + 1e-5))
filled0 = solid | keep
del X, E, keep, zone
filled = ndi.binary_fill_holes(filled0)
holes = filled & ~filled0
del filled0
lap("fill")
# 3. markers: h-maxima of log(distance + offset), watershed
D = ndi.distance_transform_edt(filled, sampling=sp)
G = np.log(D + a["split_offset"] * mins + 1e-12)
del D
hmax = morphology.h_maxima(G, -math.log(1 - a["split_height"]))
markers, nmark = ndi.label(hmax)
del hmax
lab = segmentation.watershed(-G, markers, mask=filled)
del G, markers
lap("watershed")
# 4. holes between two particles emptied; fragments under the minimum merged or dropped
hl, nh = ndi.label(holes)
if nh:
    pairs = [np.stack([hl[holes], lab[holes]], 1)]
    for ax in range(3):
        for sgn in (1, -1):
            sh = np.roll(lab, sgn, axis=ax)
            edge = [slice(None)] * 3
            edge[ax] = 0 if sgn == 1 else -1
            sh[tuple(edge)] = 0
            pairs.append(np.stack([hl[holes], sh[holes]], 1))
    p = np.unique(np.concatenate(pairs), axis=0)
    p = p[p[:, 1] > 0]
    ids, cnt = np.unique(p[:, 0], return_counts=True)
    shared = ids[cnt >= 2]
    if len(shared):
        lab[np.isin(hl, shared)] = 0
del hl, holes
vol = np.bincount(lab.ravel())
small = (vol > 0) & (vol < a["min_volume"])
small[0] = False
if small.any():
    contacts = {}
    for ax in range(3):
        s0 = [slice(None)] * 3; s1 = [slice(None)] * 3
        s0[ax] = slice(None, -1); s1[ax] = slice(1, None)
        x, y = lab[tuple(s0)].ravel(), lab[tuple(s1)].ravel()
        m = (x != y) & (x > 0) & (y > 0) & (small[x] | small[y])
        for u, v in ((x[m], y[m]), (y[m], x[m])):
            k = small[u]
            q, c = np.unique(np.stack([u[k], v[k]], 1), axis=0, return_counts=True)
            for (i, j), n in zip(q.tolist(), c.tolist()):
                contacts.setdefault(i, {}).setdefault(j, 0)
                contacts[i][j] += n
    parent = np.arange(len(vol))
    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    size = vol.astype(np.int64).copy()
    for r in sorted(np.nonzero(small)[0].tolist(), key=lambda i: vol[i]):
        root = find(r)
        if root == 0 or size[root] >= a["min_volume"]:
            continue
        by = {}
        for o, n in contacts.get(r, {}).items():
            o = find(o)
            if o != root and o != 0:
                by[o] = by.get(o, 0) + n
        if by:
            best = max(by.items(), key=lambda kv: (kv[1], -kv[0]))[0]
            parent[root] = best
            size[best] += size[root]
        else:
            parent[root] = 0
    lab = np.array([find(i) for i in range(len(vol))])[lab]
u, first = np.unique(lab.ravel(), return_index=True)
order = u[np.argsort(first)]
order = order[order > 0]
remap = np.zeros(lab.max() + 1, dtype=np.int64)
remap[order] = np.arange(1, len(order) + 1)
lab = remap[lab].astype(np.int32)
lap("merge")
# 5. measurements
n = int(lab.max())
props = measure.regionprops(lab, intensity_image=img)
filledv = np.bincount(lab.ravel(), minlength=n + 1)
crackv = np.bincount(lab[crack], minlength=n + 1)
solidv = np.bincount(lab[solid & ~crack], weights=None, minlength=n + 1)
grey = np.bincount(lab[solid & ~crack], weights=img[solid & ~crack], minlength=n + 1)
# Crofton surface area, 13 directions (weights from the same Voronoi construction)
dirs = [(dz, dy, dx) for dz in (-1, 0, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
        if dz > 0 or (dz == 0 and (dy > 0 or (dy == 0 and dx > 0)))]
vec = np.array([[d[2] * a["spacing"][0], d[1] * a["spacing"][1], d[0] * a["spacing"][2]] for d in dirs])
L = np.linalg.norm(vec, axis=1)
N = 100000; k = np.arange(N); zz = 1 - (2 * k + 1) / N; rr = np.sqrt(1 - zz * zz); ph = math.pi * (3 - math.sqrt(5)) * k
pts = np.stack([rr * np.cos(ph), rr * np.sin(ph), zz], 1)
w = np.bincount(np.argmax(np.abs(pts @ (vec / L[:, None]).T), 1), minlength=13) / N
factor = 2 * w * np.prod(a["spacing"]) / L
padded = np.pad(lab, 1)
area = np.zeros(n + 1)
touch = set()
for d, f in zip(dirs, factor):
    s0 = tuple(slice(max(0, -o), padded.shape[i] - max(0, o)) for i, o in enumerate(d))
    s1 = tuple(slice(max(0, o), padded.shape[i] - max(0, -o)) for i, o in enumerate(d))
    x, y = padded[s0], padded[s1]
    m = x != y
    xs, ys = x[m], y[m]
    area += f * (np.bincount(xs, minlength=n + 1) + np.bincount(ys, minlength=n + 1))
    if sum(map(abs, d)) == 1:
        q = (xs > 0) & (ys > 0)
        for i, j in np.unique(np.sort(np.stack([xs[q], ys[q]], 1), 1), axis=0).tolist():
            touch.add((i, j))
del padded
tcount = np.zeros(n + 1, int)
for i, j in touch:
    tcount[i] += 1; tcount[j] += 1
faces = np.concatenate([lab[0].ravel(), lab[-1].ravel(), lab[:, 0].ravel(), lab[:, -1].ravel(), lab[:, :, 0].ravel(), lab[:, :, -1].ravel()])
border = np.zeros(n + 1, bool); border[np.unique(faces)] = True
occupied = lab > 0
rows = []
cent = np.zeros((n, 3))
for p in props:
    i = p.label
    sl = p.slice
    m = p.image
    cz, cy, cx = p.centroid
    cent[i - 1] = (cx * a["spacing"][0], cy * a["spacing"][1], cz * a["spacing"][2])
    # crack pieces: 26-connected crack voxels of this particle
    _, pieces = ndi.label(crack[sl] & m, structure=np.ones((3, 3, 3)))
    # Feret: hull of the boundary voxels
    bnd = np.argwhere(m & ~ndi.binary_erosion(m)) + [s.start for s in sl]
    bnd = bnd * sp
    try:
        hv = bnd[ConvexHull(bnd).vertices] if len(bnd) > 4 else bnd
    except Exception:
        hv = bnd
    dd = np.max(np.linalg.norm(hv[:, None] - hv[None], axis=2)) if len(hv) > 1 else 0
    ev = p.inertia_tensor_eigvals
    V = filledv[i] * np.prod(a["spacing"])
    eqd = (6 * V / math.pi) ** (1 / 3)
    # packing: particle voxels in the ball of radius factor * eqd around the centroid
    R = a["packing_radius_factor"] * eqd
    lo = [max(0, int(math.ceil((c - R) / s))) for c, s in zip((cz * sp[0], cy * sp[1], cx * sp[2]), sp)]
    hi = [min(dim - 1, int(math.floor((c + R) / s))) for c, s, dim in zip((cz * sp[0], cy * sp[1], cx * sp[2]), sp, lab.shape)]
    Z, Y, Xg = np.ogrid[lo[0]:hi[0] + 1, lo[1]:hi[1] + 1, lo[2]:hi[2] + 1]
    ball = ((Z * sp[0] - cz * sp[0]) ** 2 + (Y * sp[1] - cy * sp[1]) ** 2 + (Xg * sp[2] - cx * sp[2]) ** 2) <= R * R
    packing = occupied[lo[0]:hi[0] + 1, lo[1]:hi[1] + 1, lo[2]:hi[2] + 1][ball].sum() / max(1, ball.sum())
    rows.append((i, V, crackv[i] / filledv[i], pieces, eqd, area[i], 36 * math.pi * V * V / area[i] ** 3, dd, ev, packing))
tree = cKDTree(cent)
nnd, nni = tree.query(cent, k=2) if n > 1 else (None, None)
lap("measure")
print(json.dumps({"times": times, "total": sum(times.values()), "particles": n, "markers": int(nmark),
                  "skimage_thresholds": [float(c) for c in classes],
                  "crack_fraction_median": float(np.median([r[2] for r in rows])) if rows else 0.0,
                  "surface_area_sum": float(sum(r[5] for r in rows))}))
)PY";
} // namespace cli
