// Package session remembers sessions in a third-party cache.
package session

import (
	"strconv"

	"example.com/cachelib"
)

// Store is the session store.
type Store struct{ c cachelib.LRU }

// Remember caches one session's state.
func (s *Store) Remember(id int, state []byte) {
	s.c.Add("sess-"+strconv.Itoa(id), state) // LEAK session
}
