import numpy as np, subprocess, sys
from PIL import Image
img=Image.open('/work/shared/data/real/region1_image.png').convert('L')
m=np.array(Image.open('/work/shared/data/real/region1_cdnet_mask.png').convert('L'))>127
W,H=img.size; half=W//2
def dice(p,t): return 2*(p&t).sum()/(p.sum()+t.sum())
for model,test in [a.split(':') for a in sys.argv[1:]]:
    row=[]
    for s in [0.7,1.0,1.4]:
        w,h=int(round(W*s)),int(round(H*s))
        img.resize((w,h),Image.BICUBIC).save('in.png')
        subprocess.run(['/work/main/build/app/cdnet','predict','--model',model,'--input','in.png','--out','p.tif','--threads','1'],capture_output=True,check=True)
        p=np.array(Image.open('p.tif')).astype(np.float32)
        p=np.array(Image.fromarray(p).resize((W,H),Image.BILINEAR))
        b=p>=0.5; sl=slice(half,None) if test=='right' else slice(0,half)
        row.append('%.2f:%.3f'%(s,dice(b[:,sl],m[:,sl])))
    print(model,'test',test,' '.join(row))
