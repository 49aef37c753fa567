module example.com/cachelib

go 1.19
