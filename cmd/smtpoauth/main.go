// Command smtpoauth is a self-hosted console that gets applications sending mail through
// Exchange Online with SMTP AUTH and OAuth 2.0 (XOAUTH2), and proves it live.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/smtpoauth/smtpoauth/store"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// env is everything a subcommand takes from the process, so tests can run it in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// store are the database's options: the zero value, production's, except in tests, which
	// lower the password cost (argon2 under the race detector takes seconds).
	store store.Options
}

// command is one subcommand; each lives in its own file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"serve", "run the web console (the default)", runServe},
		{"check", "test one connection from the command line", runCheck},
		{"profile", "add, list, show, edit or remove stored connections", runProfile},
		{"import", "add connections from a CSV file, secrets read from files it names", runImport},
		{"user", "add, list, re-password or remove console users", runUser},
		{"token", "create, list or revoke API tokens for scripts and monitors", runToken},
		{"key", "rotate the master key that seals stored secrets", runKey},
		{"backup", "write a consistent copy of the database", runBackup},
		{"demo-exchange", "run a simulated Exchange Online to try smtpoauth without a tenant", runDemoExchange},
		{"healthcheck", "exit 0 when the console on --addr is ready (for container HEALTHCHECK)", runHealthcheck},
	}
}

// run dispatches to a subcommand; with none, or only flags, it serves the console.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return dispatch(ctx, args, env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr})
}

// dispatch is run with the process's environment gathered in e.
func dispatch(ctx context.Context, args []string, e env) error {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		return runServe(ctx, args, e)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], e)
		}
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(stdout, "smtpoauth", version)
		return nil
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	usage(stderr)
	return usageError("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: smtpoauth [command] [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'smtpoauth COMMAND -h' for a command's flags.")
}

// exitError carries a process exit code: 1 a failed check, 2 bad input or usage.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// errCheckFailed is returned when a check ran and failed; its report is already printed.
var errCheckFailed = &exitError{code: 1}

func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "smtpoauth:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "smtpoauth:", err)
	return 1
}

// newFlagSet makes a subcommand's flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: smtpoauth %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and turns flag errors into usage errors (exit 2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2}
	}
	return nil
}

// envOr returns the environment variable, or def when it is unset.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}
