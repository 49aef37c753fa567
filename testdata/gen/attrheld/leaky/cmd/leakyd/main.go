// Command leakyd is a service of module "leaky" (named without a dot)
// whose leaks all go through library code: strings.Builder, map growth,
// encoding/json, a dependency's cache (example.com/cachelib, from the
// module cache or vendor/), a dotless dependency (kvlib, by a replace
// directive), and two goroutine leaks.  Each step leaks the same amount;
// a snapshot is written after each step.
//
//	leakyd -rate R -n N -out DIR [-goroutines] [-scale K]
package main

import (
	"flag"
	"runtime"
	"time"

	"leaky/internal/audit"
	"leaky/internal/index"
	"leaky/internal/ingest"
	"leaky/internal/journal"
	"leaky/internal/session"
	"leaky/internal/tunnel"
	"leaky/internal/worker"
	"leaky/snap"
)

type service struct {
	j  journal.Journal
	ix index.Index
	ld ingest.Loader
	ss session.Store
	au audit.Trail
	wp worker.Pool
	tn tunnel.Tunnels
	id int
}

func (s *service) step(scale int) {
	for i := 0; i < 1500*scale; i++ {
		s.id++
		s.j.Record(s.id, "order")
		s.ix.Add(s.id)
		s.ss.Remember(s.id, make([]byte, 400))
		s.au.Write(s.id, "svc")
	}
	if err := s.ld.Load(s.id, 2000*scale); err != nil {
		panic(err)
	}
	for i := 0; i < 4; i++ {
		s.wp.Submit()
		s.tn.Open()
	}
}

func main() {
	rate := flag.Int("rate", 512*1024, "runtime.MemProfileRate")
	n := flag.Int("n", 4, "snapshots")
	out := flag.String("out", ".", "folder")
	scale := flag.Int("scale", 1, "leak this many times as much per step")
	gor := flag.Bool("goroutines", false, "also goroutine profiles")
	flag.Parse()
	runtime.MemProfileRate = *rate
	s := &service{}
	for i := 0; i < *n; i++ {
		s.step(*scale)
		time.Sleep(10 * time.Millisecond) // let the goroutines block
		snap.Take(*out, i, *gor)
	}
	runtime.KeepAlive(s)
}
