// Package cart keeps every cart's line items in one buffer.
package cart

import (
	"bytes"
	"fmt"
)

// Carts holds all carts.
type Carts struct{ lines bytes.Buffer }

// Add adds a line item.
func (c *Carts) Add(cart, sku int) {
	fmt.Fprintf(&c.lines, "cart=%d sku=%d qty=1 note=%0200d\n", cart, sku, sku) // LEAK cart
}
