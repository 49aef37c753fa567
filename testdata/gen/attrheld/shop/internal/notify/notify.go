// Package notify delivers events to subscribers that never unsubscribe.
package notify

import "time"

// Hub fans events out.
type Hub struct{ subs []chan string }

// Subscribe starts a subscriber's delivery goroutine.
func (h *Hub) Subscribe() {
	ch := make(chan string)
	h.subs = append(h.subs, ch)
	go h.deliver(ch)
}

func (h *Hub) deliver(ch chan string) {
	for {
		select { // LEAK notify goroutine
		case <-ch:
		case <-time.After(time.Hour):
		}
	}
}
