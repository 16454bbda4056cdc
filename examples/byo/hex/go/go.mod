module example.com/hex

go 1.24
