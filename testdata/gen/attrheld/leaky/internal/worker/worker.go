// Package worker runs jobs on goroutines that wait for a result nobody sends.
package worker

// Pool starts one goroutine per job.
type Pool struct{ done []chan int }

// Submit starts a job's goroutine.
func (p *Pool) Submit() {
	ch := make(chan int)
	p.done = append(p.done, ch)
	go p.wait(ch)
}

func (p *Pool) wait(ch chan int) {
	<-ch // LEAK worker goroutine
}
