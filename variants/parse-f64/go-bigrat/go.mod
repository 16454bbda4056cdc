module nvx/parsef64

go 1.24
