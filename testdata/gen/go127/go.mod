module drip/testdata/gen/go127

go 1.27
