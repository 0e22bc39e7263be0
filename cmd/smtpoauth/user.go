package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/smtpoauth/smtpoauth/store"
)

const userSynopsis = `user add|list|passwd|rm [flags] [NAME]

  add    --name NAME [--role admin|helpdesk] [--password-file FILE|-]
  list
  passwd NAME [--password-file FILE|-]     (ends the user's sessions)
  rm     NAME

The password is read from --password-file (- for standard input) or asked for without echo.`

func runUser(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError("usage: smtpoauth %s", userSynopsis)
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("user "+sub, userSynopsis, e)
	var data dataFlags
	data.register(fs, e.getenv)
	name := fs.String("name", "", "user name (add)")
	role := fs.String("role", store.RoleHelpdesk, "admin or helpdesk (add)")
	pwFile := fs.String("password-file", "", "file holding the password (- reads standard input)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, _ := data.logger(io.Discard)
	db, _, err := data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer db.Close()
	audit := func(action, target string) {
		if err := db.Audit(ctx, store.AuditEntry{Actor: cliActor(), Action: action, Target: target}); err != nil {
			fmt.Fprintf(e.stderr, "smtpoauth: warning: the audit log did not record %s: %v\n", action, err)
		}
	}
	switch sub {
	case "add":
		pw, err := readPassword(ctx, *pwFile, e)
		if err != nil {
			return err
		}
		u, err := db.CreateUser(ctx, *name, pw, *role)
		if err != nil {
			return userError(err)
		}
		audit("user.created", u.Username+" ("+u.Role+")")
		fmt.Fprintf(e.stdout, "Created %s %q.\n", u.Role, u.Username)
	case "list":
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tPASSWORD CHANGED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Role, u.CreatedAt.Format("2006-01-02"), u.PasswordChangedAt.Format("2006-01-02"))
		}
		return tw.Flush()
	case "passwd", "rm":
		if fs.NArg() != 1 {
			return usageError("user %s needs the user's NAME", sub)
		}
		u, err := db.UserByName(ctx, fs.Arg(0))
		if errors.Is(err, store.ErrNotFound) {
			return usageError("no user named %q (see: smtpoauth user list)", fs.Arg(0))
		} else if err != nil {
			return err
		}
		if sub == "rm" {
			if err := db.DeleteUser(ctx, u.ID); err != nil {
				return userError(err)
			}
			audit("user.deleted", u.Username)
			fmt.Fprintf(e.stdout, "Removed %q and ended their sessions.\n", u.Username)
			return nil
		}
		pw, err := readPassword(ctx, *pwFile, e)
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, u.ID, pw); err != nil {
			return userError(err)
		}
		audit("user.password_changed", u.Username)
		fmt.Fprintf(e.stdout, "Changed the password of %q; their sessions have ended.\n", u.Username)
	default:
		return usageError("unknown user command %q: use add, list, passwd or rm", sub)
	}
	return nil
}

func readPassword(ctx context.Context, file string, e env) (string, error) {
	switch file {
	case "-":
		b, err := readStdin(ctx, "--password-file", e.stdin)
		return strings.TrimRight(string(b), "\r\n"), err
	case "":
		pw, err := askHidden(ctx, "Password (not shown): ", e)
		if errors.Is(err, errNoTerminal) {
			return "", usageError("no password: use --password-file FILE, or --password-file - to read standard input")
		}
		return pw, err
	}
	b, err := readInputFile(ctx, "--password-file", file, maxInputBytes)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
