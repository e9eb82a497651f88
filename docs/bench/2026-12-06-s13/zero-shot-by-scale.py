import numpy as np, subprocess, sys
from PIL import Image
img=Image.open('/work/shared/data/real/region1_image.png').convert('L')
m=np.array(Image.open('/work/shared/data/real/region1_cdnet_mask.png').convert('L'))>127
W,H=img.size; half=W//2
def dice(p,t): return 2*(p&t).sum()/(p.sum()+t.sum())
model=sys.argv[1] if len(sys.argv)>1 else '/work/main/models/starter-b16.pt'
for s in [0.4,0.5,0.6,0.7,0.85,1.0,1.3]:
    w,h=int(round(W*s)),int(round(H*s))
    img.resize((w,h),Image.BICUBIC).save('in.png')
    subprocess.run(['/work/main/build/app/cdnet','predict','--model',model,'--input','in.png','--out','p.tif','--threads','2'],capture_output=True,check=True)
    p=np.array(Image.open('p.tif')).astype(np.float32)
    p=np.array(Image.fromarray(p).resize((W,H),Image.BILINEAR))
    b=p>=0.5
    best=max((dice(p>=t,m),t) for t in np.arange(0.1,0.91,0.1))
    print('scale %.2f dice whole %.3f left %.3f right %.3f best %.3f@%.1f predfrac %.3f'%(s,dice(b,m),dice(b[:,:half],m[:,:half]),dice(b[:,half:],m[:,half:]),*best,b.mean()))
