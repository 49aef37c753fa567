// Command gorosvc parks goroutines in many different states and then writes
// the goroutine profile three ways, back to back:
//
//	goroutine.pb.gz      WriteTo(w, 0)  (gzipped profile.proto)
//	goroutine.debug1.txt WriteTo(w, 1)  (legacy "goroutine profile: total N" text)
//	goroutine.debug2.txt WriteTo(w, 2)  (full tracebacks, like a panic dump)
//
// Goroutines (all blocked, so the three files agree):
//
//	50 x main.recvWorker   blocked on chan receive: 30 created by main.startPoolA,
//	                       20 created by main.startPoolB
//	 3 x main.sender       blocked on chan send
//	 2 x main.selector     blocked in select (two channels, no default)
//	 1 x main.selectNone   select {} ("select (no cases)")
//	 4 x main.lockWaiter   blocked on sync.Mutex.Lock (semacquire)
//	 2 x main.sleeper      time.Sleep ("sleep")
//	 1 x main.waitGroupWaiter  sync.WaitGroup.Wait (semacquire)
//	 1 x main.condWaiter   sync.Cond.Wait
//	 1 x main.acceptLoop   net.Listener.Accept on 127.0.0.1:0 ("IO wait")
//	 1 x main.labeledWorker   inside pprof.Do with labels worker=7, pool=io
//	                          (chan receive)
//	 1 x main.lockedWorker    runtime.LockOSThread, then chan receive
//	                          ("locked to thread" in debug=2)
//
// With -wait > 1m the blocked goroutines also show ", N minutes" in debug=2
// (the runtime reports wait time in whole minutes only, and only for
// goroutines seen blocked by a GC, so the program runs two GCs first).
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	never    = make(chan int) // never written, never closed
	full     = make(chan int) // never read
	mu       sync.Mutex
	wg       sync.WaitGroup // never Done
	cond     = sync.NewCond(&sync.Mutex{})
	started  sync.WaitGroup
	blockers []chan struct{}
)

//go:noinline
func recvWorker(id int) {
	started.Done()
	<-never
}

//go:noinline
func startPoolA(n int) {
	for i := 0; i < n; i++ {
		started.Add(1)
		go recvWorker(i)
	}
}

//go:noinline
func startPoolB(n int) {
	for i := 0; i < n; i++ {
		started.Add(1)
		go recvWorker(1000 + i)
	}
}

//go:noinline
func sender(v int) {
	started.Done()
	full <- v
}

//go:noinline
func selector(a, b chan struct{}) {
	started.Done()
	select {
	case <-a:
	case <-b:
	}
}

//go:noinline
func selectNone() {
	started.Done()
	select {}
}

//go:noinline
func lockWaiter() {
	started.Done()
	mu.Lock()
	defer mu.Unlock()
}

//go:noinline
func sleeper(d time.Duration) {
	started.Done()
	time.Sleep(d)
}

//go:noinline
func waitGroupWaiter() {
	started.Done()
	wg.Wait()
}

//go:noinline
func condWaiter() {
	cond.L.Lock()
	started.Done()
	for {
		cond.Wait()
	}
}

//go:noinline
func acceptLoop(ln net.Listener) {
	started.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

//go:noinline
func labeledWorker() {
	pprof.Do(context.Background(), pprof.Labels("worker", "7", "pool", "io"), func(ctx context.Context) {
		started.Done()
		<-never
	})
}

//go:noinline
func lockedWorker() {
	runtime.LockOSThread()
	started.Done()
	<-never
}

func writeProfile(dir, name string, debug int) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("goroutine").WriteTo(f, debug); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	out := flag.String("out", ".", "output directory")
	wait := flag.Duration("wait", 2*time.Second, "how long to let the goroutines sit blocked before writing")
	flag.Parse()

	mu.Lock() // held forever so lockWaiter blocks
	wg.Add(1) // never Done

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()

	startPoolA(30)
	startPoolB(20)
	for i := 0; i < 3; i++ {
		started.Add(1)
		go sender(i)
	}
	for i := 0; i < 2; i++ {
		a, b := make(chan struct{}), make(chan struct{})
		blockers = append(blockers, a, b)
		started.Add(1)
		go selector(a, b)
	}
	started.Add(1)
	go selectNone()
	for i := 0; i < 4; i++ {
		started.Add(1)
		go lockWaiter()
	}
	for i := 0; i < 2; i++ {
		started.Add(1)
		go sleeper(time.Hour)
	}
	started.Add(1)
	go waitGroupWaiter()
	started.Add(1)
	go condWaiter()
	started.Add(1)
	go acceptLoop(ln)
	started.Add(1)
	go labeledWorker()
	started.Add(1)
	go lockedWorker()

	started.Wait()
	time.Sleep(100 * time.Millisecond) // let everyone actually park
	// A GC stamps gp.waitsince on parked goroutines with work.tstart, which is
	// only set at the end of a GC: the first GC of the process stamps 0
	// (= unknown), so run two.
	runtime.GC()
	runtime.GC()
	time.Sleep(*wait)

	writeProfile(*out, "goroutine.pb.gz", 0)
	writeProfile(*out, "goroutine.debug1.txt", 1)
	writeProfile(*out, "goroutine.debug2.txt", 2)
}
