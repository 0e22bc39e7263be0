package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"

	"golang.org/x/term"
)

// maxInputBytes bounds a secret, password, certificate or key the CLI reads. Real ones are a few
// KiB at most; without a bound, --secret-file /dev/zero would fill the memory.
const maxInputBytes = 64 << 10

// maxCABundleBytes bounds SSL_CERT_FILE, which may be a whole system bundle (about 200 KiB).
const maxCABundleBytes = 4 << 20

// readInputFile reads a file the CLI was pointed at. Only regular files are read: a FIFO would
// block the command (and a blocked open does not see Ctrl-C or SIGTERM), a device such as
// /dev/zero never ends, a directory is a mistake. what names the input in errors ("--secret-file").
func readInputFile(ctx context.Context, what, path string, limit int64) ([]byte, error) {
	// Stat before opening: opening a FIFO for reading blocks until a writer comes.
	st, err := os.Stat(path)
	if err != nil {
		return nil, usageError("%s: %v", what, err)
	}
	if !st.Mode().IsRegular() {
		return nil, usageError("%s: %s is %s, not a regular file: give a file that holds the value", what, path, fileKind(st.Mode()))
	}
	// Non-blocking, in case the path was swapped for a FIFO since the Stat.
	f, err := os.OpenFile(path, openInputFlags, 0)
	if err != nil {
		return nil, usageError("%s: %v", what, err)
	}
	defer f.Close()
	if st2, err := f.Stat(); err != nil || !os.SameFile(st, st2) {
		return nil, usageError("%s: %s changed while it was being opened", what, path)
	}
	b, err := readLimited(ctx, f, limit)
	if errors.Is(err, errTooLarge) {
		return nil, usageError("%s: %s is larger than %s; it cannot be a %s", what, path, sizeName(limit), inputNoun(what))
	}
	if err != nil && ctx.Err() == nil {
		return nil, usageError("%s: %v", what, err)
	}
	return b, err
}

// readStdin reads standard input to its end, at most maxInputBytes; more is an error, never a
// silent cut (a long password stored cut would not work, and nobody would know why).
func readStdin(ctx context.Context, what string, r io.Reader) ([]byte, error) {
	b, err := readLimited(ctx, r, maxInputBytes)
	if errors.Is(err, errTooLarge) {
		return nil, usageError("%s -: standard input holds more than %s; it cannot be a %s", what, sizeName(maxInputBytes), inputNoun(what))
	}
	if err != nil && ctx.Err() == nil {
		return nil, usageError("%s -: reading standard input: %v", what, err)
	}
	if err != nil {
		return nil, err // cancelled: not a usage error
	}
	return b, nil
}

var errTooLarge = errors.New("input too large")

// errNoTerminal means standard input is not a terminal, so nothing can be asked for.
var errNoTerminal = errors.New("standard input is not a terminal")

// askHidden asks for a secret on the terminal without echo. Ctrl-C (or SIGTERM) ends the wait:
// the read is abandoned and the terminal's echo is put back before the command returns.
func askHidden(ctx context.Context, prompt string, e env) (string, error) {
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errNoTerminal
	}
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	fmt.Fprint(e.stderr, prompt)
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- read{err: fmt.Errorf("reading the terminal failed: %v", p)}
			}
		}()
		b, err := term.ReadPassword(fd)
		done <- read{b, err}
	}()
	select {
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(e.stderr)
		return "", context.Cause(ctx)
	case res := <-done:
		fmt.Fprintln(e.stderr)
		return string(res.b), res.err
	}
}

// readLimited reads r to its end, failing past limit bytes or when ctx ends (Ctrl-C, SIGTERM):
// a read from a pipe or terminal can wait forever, so it runs apart and is abandoned on cancel.
func readLimited(ctx context.Context, r io.Reader, limit int64) ([]byte, error) {
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- read{err: fmt.Errorf("reading failed: %v", p)}
			}
		}()
		b, err := io.ReadAll(io.LimitReader(r, limit+1))
		done <- read{b, err}
	}()
	select {
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	case res := <-done:
		if res.err == nil && int64(len(res.b)) > limit {
			return nil, errTooLarge
		}
		return res.b, res.err
	}
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

func sizeName(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n>>10, 10) + " KiB"
}

func inputNoun(what string) string {
	switch what {
	case "--password-file":
		return "password"
	case "--cert-file":
		return "certificate"
	case "--key-file":
		return "private key"
	case "SSL_CERT_FILE":
		return "CA bundle"
	case "--tls-cert":
		return "certificate chain"
	case "--tls-key":
		return "private key"
	}
	return "client secret"
}

// cliActor names who ran the command in the audit log, as the console names a signed-in user.
func cliActor() string { return actorName(user.Current()) }

// actorName is the operating system's account, or its uid when the account has no name (a
// container's uid without a passwd entry). Never $USER: that is whatever the caller set.
func actorName(u *user.User, err error) string {
	if err == nil && u != nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli:uid " + strconv.Itoa(os.Getuid())
}
