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
	go func() {
		for i := 0; ; i++ {
			go leakyWaiter()
			leakyRemember(i)
			time.Sleep(*tick)
		}
	}()
	go func() {
		time.Sleep(*life)
		os.Exit(0)
	}()
	log.Fatal(http.Serve(ln, nil))
}
