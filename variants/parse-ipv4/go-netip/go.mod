module nvx/variants/parse-ipv4/go-netip

go 1.24
