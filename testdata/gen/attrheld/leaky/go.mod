module leaky

go 1.19

require (
	example.com/cachelib v0.3.1
	kvlib v1.2.0
)

replace kvlib => ../deps/kvlib
