module kvlib

go 1.19
