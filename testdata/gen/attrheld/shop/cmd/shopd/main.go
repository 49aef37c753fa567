// Command shopd is a service of module "shop.example.com/svc" (a domain
// name) whose leaks all go through library code: bytes.Buffer,
// encoding/json's Decoder, bufio, a dependency's cache
// (example.com/cachelib), a dotless dependency (kvlib, by a replace
// directive) and a goroutine leak.  A snapshot after each step.
//
//	shopd -rate R -n N -out DIR [-goroutines] [-scale K]
package main

import (
	"flag"
	"runtime"
	"time"

	"shop.example.com/svc/internal/cart"
	"shop.example.com/svc/internal/catalog"
	"shop.example.com/svc/internal/notify"
	"shop.example.com/svc/internal/ratelimit"
	"shop.example.com/svc/internal/sessions"
	"shop.example.com/svc/snap"
)

type shop struct {
	c  cart.Carts
	ct catalog.Catalog
	ss sessions.Sessions
	rl ratelimit.Limiter
	h  notify.Hub
	id int
}

func (s *shop) step(scale int) {
	for i := 0; i < 1500*scale; i++ {
		s.id++
		s.c.Add(s.id/4, s.id)
		s.ss.Touch(s.id)
		s.ss.Audit(s.id)
	}
	for i := 0; i < 150*scale; i++ {
		s.rl.Seen("client")
	}
	if err := s.ct.Import(s.id, 1500*scale); err != nil {
		panic(err)
	}
	for i := 0; i < 4; i++ {
		s.h.Subscribe()
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
	s := &shop{}
	for i := 0; i < *n; i++ {
		s.step(*scale)
		time.Sleep(10 * time.Millisecond)
		snap.Take(*out, i, *gor)
	}
	runtime.KeepAlive(s)
}
