// Package snap writes heap and goroutine profiles.
package snap

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

func write(path string, f func(*os.File) error) {
	out, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := f(out); err != nil {
		panic(err)
	}
	if err := out.Close(); err != nil {
		panic(err)
	}
}

// Take writes heap_NNN.pb.gz (after a GC) and, when goroutines is set,
// goroutine_NNN.pb.gz and goroutine_NNN.debug2.txt into dir.
func Take(dir string, i int, goroutines bool) {
	runtime.GC()
	write(filepath.Join(dir, fmt.Sprintf("heap_%03d.pb.gz", i)), func(f *os.File) error {
		return pprof.Lookup("heap").WriteTo(f, 0)
	})
	if !goroutines {
		return
	}
	write(filepath.Join(dir, fmt.Sprintf("goroutine_%03d.pb.gz", i)), func(f *os.File) error {
		return pprof.Lookup("goroutine").WriteTo(f, 0)
	})
	write(filepath.Join(dir, fmt.Sprintf("goroutine_%03d.debug2.txt", i)), func(f *os.File) error {
		return pprof.Lookup("goroutine").WriteTo(f, 2)
	})
}
