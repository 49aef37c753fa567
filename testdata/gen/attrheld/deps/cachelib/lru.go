// Package cachelib is a stand-in for a third-party cache: it keeps a copy
// of every value it is given (a bounded cache whose bound is never set).
package cachelib

// LRU keeps its values in insertion order.
type LRU struct {
	keys  []string
	items [][]byte
	Limit int // 0: no limit
}

// Add keeps a copy of val under key.
func (c *LRU) Add(key string, val []byte) {
	v := make([]byte, len(val))
	copy(v, val)
	c.keys = append(c.keys, key)
	c.items = append(c.items, v)
	if c.Limit > 0 && len(c.items) > c.Limit {
		c.keys, c.items = c.keys[1:], c.items[1:]
	}
}
