module nvx/variants/json-parse/go-encoding-json

go 1.27
