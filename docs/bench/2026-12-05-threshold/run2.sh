#!/bin/bash
cd /work/wt/thresh
while [ ! -f /tmp/thresh-meas/done ]; do sleep 5; done
B=build/app/cdnet
for seed in 1 2 3; do
  /usr/bin/time -f "wall %e s" timeout 400 $B bench accuracy --size 128 --train-slices 8 --test-slices 4 --batch 4 --crop 128 \
    --init models/starter-b16.pt --lr 1e-4 --steps 40 --threads 1 --seed $seed > /tmp/thresh-meas/accft-s$seed.log 2>&1
done
echo ALLDONE > /tmp/thresh-meas/done2
