// Package catalog imports product feeds and keeps every product.
package catalog

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Product is one catalog entry.
type Product struct {
	SKU   string            `json:"sku"`
	Name  string            `json:"name"`
	Attrs map[string]string `json:"attrs"`
}

// Catalog is every product ever imported.
type Catalog struct{ bySKU map[string]*Product }

// Import decodes a feed of n products.
func (c *Catalog) Import(first, n int) error {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"sku":"s%d","name":"product %d","attrs":{"color":"c%d","size":"%d"}}`+"\n", first+i, first+i, i, i)
	}
	if c.bySKU == nil {
		c.bySKU = map[string]*Product{}
	}
	dec := json.NewDecoder(strings.NewReader(b.String()))
	for dec.More() {
		p := new(Product)
		if err := dec.Decode(p); err != nil { // LEAK catalog
			return err
		}
		c.bySKU[p.SKU] = p // LEAK catalog-map
	}
	return nil
}
