#!/bin/sh
# byte comparison of the split and merged paths on the 1M-stack bench profiles
D=/tmp/fd-final-drip
same=0; differ=0
for set in heap_1m synth_1m heap_100k synth_100k; do
  B=build/bench/${set}_b.pb.gz; A=build/bench/${set}_a.pb.gz
  for o in "" "--cum" "--nodecount=10" "--normalize" "--granularity=lines" "--granularity=files" "--noinlines" "-i alloc_space" "-i alloc_objects --cum" "--format=json" "--nodefraction=0 --edgefraction=0" "--drop-negative"; do
    for pair in "$B $A" "$A $B"; do
      TZ=UTC $D diff $o $pair > /tmp/fd_n.out 2>/tmp/fd_n.err; rn=$?
      TZ=UTC DRIP_DIFF_MERGED=1 $D diff $o $pair > /tmp/fd_o.out 2>/tmp/fd_o.err; ro=$?
      if cmp -s /tmp/fd_n.out /tmp/fd_o.out && cmp -s /tmp/fd_n.err /tmp/fd_o.err && [ $rn = $ro ]; then same=$((same+1)); else differ=$((differ+1)); echo "DIFFER: $o $pair"; fi
    done
  done
done
echo "big: $same identical, $differ different"
