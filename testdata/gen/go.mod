module drip/testdata/gen

go 1.19
