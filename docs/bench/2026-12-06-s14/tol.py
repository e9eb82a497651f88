import numpy as np, sys
from scipy import ndimage as ndi
def rd(p):
    b=open(p,'rb').read(); i=b.index(b'\n\n'); h=b[:i].decode(); d=b[i+2:]
    t=[l.split(': ')[1] for l in h.splitlines() if l.startswith('type')][0]
    s=[int(x) for x in [l.split(': ')[1] for l in h.splitlines() if l.startswith('sizes')][0].split()]
    dt={'float':np.float32,'unsigned char':np.uint8,'uint8':np.uint8,'unsigned int':np.uint32,'uint32':np.uint32,'unsigned short':np.uint16,'uint16':np.uint16}[t]
    return np.frombuffer(d,dtype=dt).reshape(s[::-1])
truth=rd('/tmp/s14/ph1001/cracks.nrrd')>0
img=rd('/tmp/s14/ph1001/image.nrrd')
for name in sys.argv[1:]:
    p=rd(name)
    m=p>=0.5
    tp=(m&truth).sum(); dice=2*tp/(m.sum()+truth.sum())
    st=np.ones((1,3,3),bool)
    td=ndi.binary_dilation(truth,st); md=ndi.binary_dilation(m,st)
    prec1=(m&td).sum()/m.sum(); rec1=(truth&md).sum()/truth.sum()
    print(f"{name}: Dice {dice:.4f} prec {tp/m.sum():.3f} rec {tp/truth.sum():.3f} | 1px tol prec {prec1:.3f} rec {rec1:.3f} F {2*prec1*rec1/(prec1+rec1):.3f}")
    # FN analysis: size of missed truth components (2D per slice, 8-conn)
    fn=truth&~md
    lab,n=ndi.label(fn,structure=np.array([[[0,0,0],[0,0,0],[0,0,0]],[[1,1,1],[1,1,1],[1,1,1]],[[0,0,0],[0,0,0],[0,0,0]]]))
    sizes=np.bincount(lab.ravel())[1:]
    print(f"  missed beyond 1px: {fn.sum()} voxels in {n} pieces; pieces >=20 px hold {sizes[sizes>=20].sum()/max(1,fn.sum()):.2f}")
    # truth width: distance transform inside truth per slice
    w=np.array([ndi.distance_transform_edt(truth[z]) for z in range(truth.shape[0])])
    for lo,hi in [(0,1.01),(1.01,1.5),(1.5,2.5),(2.5,99)]:
        sel=truth&(w>lo)&(w<=hi)
        print(f"   truth voxels with depth {lo}-{hi}: {sel.sum()/truth.sum():.2f} recall {(sel&m).sum()/max(1,sel.sum()):.3f}")
