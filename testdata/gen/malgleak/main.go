// malgleak: a goroutine leak as the heap profile sees it, and a snapshot
// taken without a GC since the previous one.
//
// Every step starts 100 goroutines that block forever in main.parked
// (created by main.spawn).  Each new goroutine's descriptor is allocated
// by runtime.malg and never freed, so at MemProfileRate=1 the heap
// profile's runtime.malg site grows by 100 objects a step.  Snapshots
// 000..003 are written after runtime.GC(); then the GC is switched off
// (debug.SetGCPercent(-1), before 003 is written, so that writing it
// starts no cycle either) and snapshot 004 is written after one more step
// without runtime.GC(): its MemStats NumGC equals 003's and its in-use
// numbers are those of the last GC (stale).
//
//	go build -trimpath -o /tmp/malgleak ./malgleak && /tmp/malgleak -out DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

var block = make(chan struct{})

var keep [][]byte

func parked(buf []byte) {
	<-block
	keep = append(keep, buf)
}

func spawn(n int) {
	for i := 0; i < n; i++ {
		go parked(make([]byte, 512))
	}
}

func write(dir, name string, debugLevel int, prof string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(prof).WriteTo(f, debugLevel); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}

func snapshot(dir string, i int, gc bool) {
	if gc {
		runtime.GC()
	}
	if i == 3 {
		debug.SetGCPercent(-1)
	}
	write(dir, fmt.Sprintf("heap_%03d.pb.gz", i), 0, "heap")
	write(dir, fmt.Sprintf("heap_%03d.debug1.txt", i), 1, "heap")
	write(dir, fmt.Sprintf("goroutine_%03d.pb.gz", i), 0, "goroutine")
}

func main() {
	runtime.MemProfileRate = 1
	out := flag.String("out", ".", "output folder")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		panic(err)
	}
	for i := 0; i < 4; i++ {
		spawn(100)
		snapshot(*out, i, true)
	}
	spawn(100)
	snapshot(*out, 4, false)
}
