//go:build linux

package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// Ctrl-C at the hidden prompt ends the command at once and gives the terminal its echo back.
func TestAskHidden_CancelEndsThePromptAndRestoresEcho(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go io.Copy(io.Discard, ptmx) // drain what the terminal shows
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan error, 1)
	var stderr strings.Builder
	go func() {
		_, err := askHidden(ctx, "Password (not shown): ", env{stdin: tty, stderr: &stderr})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a cancelled prompt returned no error")
		}
	case <-time.After(20 * time.Second):
		ptmx.Write([]byte("\n")) // free the old blocking read
		t.Fatal("the prompt ignored the cancellation")
	}
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if st.Lflag&unix.ECHO == 0 {
		t.Fatal("the terminal was left without echo")
	}
}
