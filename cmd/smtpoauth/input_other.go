//go:build !unix

package main

import "os"

// openInputFlags: without O_NONBLOCK here, the Stat before opening is the guard.
const openInputFlags = os.O_RDONLY
