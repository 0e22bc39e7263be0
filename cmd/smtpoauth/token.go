package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

const tokenSynopsis = `token create|list|revoke [flags] [NAME]

  create --name NAME --role admin|helpdesk [--scopes api,metrics] [--expires 90d|never]
  list
  revoke NAME

create prints the token once: only a hash of it is kept, so it cannot be shown again.
Scripts send it as "Authorization: Bearer TOKEN" to /api/v1 (scope api) or /metrics (scope metrics).`

func runToken(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError("usage: smtpoauth %s", tokenSynopsis)
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("token "+sub, tokenSynopsis, e)
	var data dataFlags
	data.register(fs, e.getenv)
	name := fs.String("name", "", "the token's name, shown in the audit log (create)")
	role := fs.String("role", "", "admin or helpdesk: what the token may do, as for people (create)")
	scopes := fs.String("scopes", store.ScopeAPI, "comma-separated: api (the REST API), metrics (/metrics) (create)")
	expires := fs.String("expires", "90d", "lifetime such as 90d, 12h or never (create)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var ttl time.Duration
	if sub == "create" {
		var err error
		if ttl, err = parseLifetime(*expires); err != nil {
			return err
		}
		if *role == "" {
			return usageError("token create needs --role admin or --role helpdesk")
		}
	}
	log, _ := data.logger(io.Discard)
	db, _, err := data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer db.Close()
	audit := func(action, target, detail string) {
		if err := db.Audit(ctx, store.AuditEntry{Actor: cliActor(), Action: action, Target: target, Detail: detail}); err != nil {
			fmt.Fprintf(e.stderr, "smtpoauth: warning: the audit log did not record %s: %v\n", action, err)
		}
	}
	switch sub {
	case "create":
		tok, t, err := db.CreateAPIToken(ctx, store.APITokenInput{Name: *name, Role: *role, Scopes: splitList(*scopes), TTL: ttl}, cliActor())
		if err != nil {
			return profileError(err)
		}
		audit("token.created", t.Name, tokenDetail(t))
		// The token alone on stdout, so that `TOKEN=$(smtpoauth token create …)` works; the rest on stderr.
		fmt.Fprintln(e.stdout, tok)
		fmt.Fprintf(e.stderr, "Created %s token %q (%s), %s. Copy it now: it is not shown again.\n", t.Role, t.Name, strings.Join(t.Scopes, ", "), expiryText(t))
	case "list":
		tokens, err := db.APITokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tSCOPES\tENDS IN\tSTATE\tLAST USED\tCREATED BY")
		now := time.Now()
		for _, t := range tokens {
			state := "active"
			switch {
			case !t.RevokedAt.IsZero():
				state = "revoked " + t.RevokedAt.Format("2006-01-02")
			case !t.Usable(now):
				state = "expired"
			}
			used := "never"
			if !t.LastUsed.IsZero() {
				used = t.LastUsed.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t…%s\t%s\t%s\t%s\n", t.Name, t.Role, strings.Join(t.Scopes, ","), t.Hint, state+", "+expiryText(t), used, t.CreatedBy)
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return usageError("token revoke needs the token's NAME")
		}
		t, err := db.APITokenByName(ctx, fs.Arg(0))
		if errors.Is(err, store.ErrNotFound) {
			return usageError("no token named %q (see: smtpoauth token list)", fs.Arg(0))
		} else if err != nil {
			return err
		}
		if err := db.RevokeAPIToken(ctx, t.ID); err != nil {
			return err
		}
		audit("token.revoked", t.Name, "")
		fmt.Fprintf(e.stdout, "Revoked %q: it stops working at once.\n", t.Name)
	default:
		return usageError("unknown token command %q: use create, list or revoke", sub)
	}
	return nil
}

func tokenDetail(t *store.APIToken) string {
	return fmt.Sprintf("role %s, scopes %s, %s", t.Role, strings.Join(t.Scopes, " "), expiryText(t))
}

func expiryText(t *store.APIToken) string {
	if t.ExpiresAt.IsZero() {
		return "never expires"
	}
	return "expires " + t.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
}

// parseLifetime reads "90d", "12h", Go durations, or "never".
func parseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "never" || s == "0" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, usageError("--expires %q: use days (90d), hours (12h) or never", s)
}
