package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A misconfigured console names every problem in one go, in the flags' and variables' own
// names, and touches nothing: the operator fixes them all in one edit, not one per restart.
func TestServe_BadConfigurationNamesEveryProblemAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"SMTPOAUTH_SESSION_IDLE": "soon", "SMTPOAUTH_RUNS_PER_MINUTE_USER": "ten", "SMTPOAUTH_DEMO": "yes"}
	res := runCLI(t, env, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", dir,
		"--log-format", "xml", "--tls-cert", "cert.pem", "--trusted-proxy", "the-proxy", "--allowed-hosts", "bad host:port:1")
	if res.code != 2 {
		t.Fatalf("got exit %d, want 2:\n%s", res.code, res.stderr)
	}
	for _, want := range []string{"SMTPOAUTH_SESSION_IDLE", "SMTPOAUTH_RUNS_PER_MINUTE_USER", "SMTPOAUTH_DEMO", "--log-format", "--tls-cert and --tls-key", `--trusted-proxy "the-proxy"`, "--allowed-hosts"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("the error does not mention %s:\n%s", want, res.stderr)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a refused configuration created the data folder: %v", err)
	}
}

// A value that is not a number in the environment is refused, not silently replaced by the default.
func TestServe_UnreadableEnvironmentValueRefused(t *testing.T) {
	res := runCLI(t, map[string]string{"SMTPOAUTH_SESSION_MAX": "12 hours"}, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	if res.code != 2 || !strings.Contains(res.stderr, `SMTPOAUTH_SESSION_MAX="12 hours"`) {
		t.Fatalf("got exit %d, want 2 naming SMTPOAUTH_SESSION_MAX:\n%s", res.code, res.stderr)
	}
}

// A variable the command line overrides does not stop the console: the flag wins, as documented.
func TestServe_FlagOverridesUnreadableEnvironmentValue(t *testing.T) {
	base, stop := startServe(t, map[string]string{"SMTPOAUTH_SESSION_MAX": "12 hours"}, "--data-dir", t.TempDir(), "--session-max", "12h")
	defer stop()
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("/healthz: got %d", code)
	}
}
