package main

// main is required for package main; in the wasip1 c-shared (reactor) build
// it is never run as a command: the host calls the exported functions.
func main() {}
