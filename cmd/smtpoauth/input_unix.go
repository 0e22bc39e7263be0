//go:build unix

package main

import (
	"os"
	"syscall"
)

// openInputFlags opens without waiting for a writer should the path be a FIFO after all.
const openInputFlags = os.O_RDONLY | syscall.O_NONBLOCK
