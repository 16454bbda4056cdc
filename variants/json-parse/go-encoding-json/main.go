package main

// main never runs in the core module (-buildmode=c-shared makes a reactor,
// whose _initialize starts the runtime and returns); it exists so that the
// package builds and `go test` runs natively.
func main() {}
