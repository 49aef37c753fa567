#!/bin/sh
# The held-out run of testdata/gen/leaks5 (results in the man page): each
# scenario, seeds 1-5 at Go's default MemProfileRate and 1-2 at rate 1,
# one process each; prints per series, kind and format drip leaks' exit
# status and its first suspect.  Needs Go (the series are not committed):
#
#   cd testdata/gen && go build -trimpath -o /tmp/leaks5 ./leaks5
#   DRIP=$PWD/../../build/drip sh leaks5/run.sh > /tmp/l5.txt
#   # Go 1.27: eval "$(sh go127.sh --env)" first, and G/O to keep both
DRIP=${DRIP:-drip}
G=${G:-/tmp/leaks5}
O=${O:-/tmp/l5}
for sc in pinned-token page-cache abandoned-send ctx-children lru bursty ttl longpoll; do
  for run in r0-1 r0-2 r0-3 r0-4 r0-5 r1-1 r1-2; do
    rate=${run%-*}; rate=${rate#r}; seed=${run#*-}
    d=$O/$sc-$run
    [ -s $d/goroutine_005.pb.gz ] || $G -scenario $sc -seed $seed -rate $rate -out $d >/dev/null 2>&1
    for f in heap_0*.pb.gz heap_0*.debug1.txt goroutine_0*.pb.gz goroutine_0*.debug2.txt; do
      $DRIP leaks $d/$f > $d/out.txt 2>$d/err.txt; rc=$?
      first=$(awk '$1=="1" && ($2=="growing" || $2=="leaked") {print $NF; exit}' $d/out.txt)
      echo "$sc $run $(echo $f | sed 's/_0\*//') rc=$rc first=$first"
    done
  done
done
