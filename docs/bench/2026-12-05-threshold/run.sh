#!/bin/bash
# Sequential measurement runs for the calibrated threshold (one at a time, --threads 1, equal steps).
cd /work/wt/thresh
B=build/app/cdnet
S=${STEPS:-40}
SMALL="--batch 4 --crop 128"
for seed in 1 2 3; do
  /usr/bin/time -f "wall %e s" timeout 400 $B bench real --real /work/shared/data/real --init models/starter-b16.pt \
    --steps $S $SMALL --threads 1 --seed $seed > /tmp/thresh-meas/real-ft-s$seed.log 2>&1
  /usr/bin/time -f "wall %e s" timeout 400 $B bench real --real /work/shared/data/real --init models/starter-b16.pt \
    --steps $S $SMALL --threads 1 --seed $seed --val-strip 0.25 > /tmp/thresh-meas/real-ftstrip-s$seed.log 2>&1
  /usr/bin/time -f "wall %e s" timeout 400 $B bench accuracy --size 128 --train-slices 8 --test-slices 4 $SMALL \
    --steps $S --threads 1 --seed $seed > /tmp/thresh-meas/acc-s$seed.log 2>&1
done
echo ALLDONE > /tmp/thresh-meas/done
