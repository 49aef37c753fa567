// leaksvc is a tiny Go service with two classic leaks, for drip's live
// tests (tests/live/run.sh runs it when Go is installed): it serves
// net/http/pprof on 127.0.0.1 (a free port, written to -portfile) and,
// every -tick, parks one more goroutine on a channel nobody closes
// (leakyWaiter) and adds an entry to a map that is never pruned
// (leakyRemember). It exits by itself after -life.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync"
	"time"
)

var (
	never    = make(chan struct{})
	remember = map[int][]byte{}
)

//go:noinline
func leakyWaiter() {
	<-never
}

//go:noinline
func leakyRemember(i int) {
	remember[i] = make([]byte, 64<<10)
}

func main() {
	portfile := flag.String("portfile", "", "write the port here")
	tick := flag.Duration("tick", 100*time.Millisecond, "time between leaks")
	life := flag.Duration("life", 60*time.Second, "exit after this long")
	perRequest := flag.Int("per-request", 0, "leak this many of each per profile request instead of per tick")
	flag.Parse()
	runtime.MemProfileRate = 1

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if *portfile != "" {
		tmp := *portfile + ".tmp"
		if err := os.WriteFile(tmp, []byte(fmt.Sprint(port)), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(tmp, *portfile); err != nil {
			log.Fatal(err)
		}
	}
	var mu sync.Mutex
	n := 0
	leak := func(k int) {
		mu.Lock()
		defer mu.Unlock()
		for j := 0; j < k; j++ {
			go leakyWaiter()
			leakyRemember(n)
			n++
		}
	}
	handler := http.Handler(http.DefaultServeMux)
	if *perRequest > 0 {
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			leak(*perRequest)
			http.DefaultServeMux.ServeHTTP(w, r)
		})
	} else {
		go func() {
			for {
				leak(1)
				time.Sleep(*tick)
			}
		}()
	}
	go func() {
		time.Sleep(*life)
		os.Exit(0)
	}()
	log.Fatal(http.Serve(ln, handler))
}
