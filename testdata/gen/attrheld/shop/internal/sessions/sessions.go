// Package sessions keeps sessions in a third-party cache and an audit
// log in kvlib.
package sessions

import (
	"fmt"

	"example.com/cachelib"
	"kvlib"
)

// Sessions is the session table.
type Sessions struct {
	c   cachelib.LRU
	log kvlib.Log
}

// Touch refreshes a session.
func (s *Sessions) Touch(id int) {
	s.c.Add(fmt.Sprint("s", id), make([]byte, 300)) // LEAK sessions
}

// Audit logs a session event.
func (s *Sessions) Audit(id int) {
	s.log.Append([]byte(fmt.Sprintf("touch %d %0250d", id, id))) // LEAK sessions-audit
}
