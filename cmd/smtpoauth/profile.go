package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

const profileSynopsis = `profile add|list|show|edit|rm [flags] [NAME]

  add  --name NAME --tenant ID --client-id ID --mailbox ADDRESS [--secret-file FILE|-] [--tags T1,T2] [flags]
  list [--filter TEXT]
  show NAME
  edit NAME [flags to change; --secret-file replaces the secret, --cert-file with --key-file
            the certificate; without them the stored credential stays]
  rm   NAME

The secret is read from --secret-file (- for standard input) or asked for without echo;
never from a flag value.`

func runProfile(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError("usage: smtpoauth %s", profileSynopsis)
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("profile "+sub, profileSynopsis, e)
	var data dataFlags
	data.register(fs, e.getenv)
	var in store.ProfileInput
	var secretFile, certFile, keyFile, filter, tags string
	var out outboundFlags
	if sub == "add" || sub == "edit" {
		out.register(fs, e.getenv)
		fs.StringVar(&in.Name, "name", "", "name the help desk sees")
		fs.StringVar(&in.Cloud, "cloud", "global", "global, usgov-gcchigh, usgov-dod or china")
		fs.StringVar(&in.Tenant, "tenant", "", "directory (tenant) ID or verified domain")
		fs.StringVar(&in.ClientID, "client-id", "", "application (client) ID")
		fs.StringVar(&in.Mailbox, "mailbox", "", "mailbox that authenticates")
		fs.StringVar(&in.From, "from", "", "sender address when it differs from the mailbox")
		fs.StringVar(&in.TestRecipient, "test-recipient", "", "default recipient of test messages")
		fs.StringVar(&in.SMTPHost, "smtp-host", "", "override the SMTP host:port")
		fs.StringVar(&in.Authority, "authority", "", "override the sign-in authority URL")
		fs.StringVar(&in.SecretExpiresOn, "secret-expires", "", "secret expiry date, YYYY-MM-DD")
		fs.StringVar(&in.Notes, "notes", "", "free-text notes")
		fs.StringVar(&tags, "tags", "", "comma-separated tags, e.g. the customer (edit: replaces them; \"\" clears them)")
		fs.StringVar(&in.AuthModel, "auth-model", "", "how Exchange authorises the app: permission, rbac or unsure (default unsure)")
		fs.StringVar(&secretFile, "secret-file", "", "file holding the client secret value (- reads standard input)")
		fs.StringVar(&certFile, "cert-file", "", "PEM certificate (certificate credential)")
		fs.StringVar(&keyFile, "key-file", "", "PEM private key of --cert-file")
	}
	if sub == "list" {
		fs.StringVar(&filter, "filter", "", "show only profiles whose name, tenant or mailbox contains this")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Only a --tags that was given changes the tags on edit.
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "tags" {
			in.Tags = store.ParseTags(tags)
		}
	})
	// Overrides pass the policy the console enforces when a test runs, before anything is stored.
	policy, err := out.policy()
	if err != nil {
		return err
	}
	log, _ := data.logger(io.Discard)
	db, _, err := data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer db.Close()
	by := cliActor()
	// The same log the console writes, so a change made here is as visible as one made there.
	audit := func(action, target, detail string) {
		if err := db.Audit(ctx, store.AuditEntry{Actor: by, Action: action, Target: target, Detail: detail}); err != nil {
			fmt.Fprintf(e.stderr, "smtpoauth: warning: the audit log did not record %s: %v\n", action, err)
		}
	}

	switch sub {
	case "add":
		if err := overrideError(policy.CheckOverrides(in.SMTPHost, in.Authority)); err != nil {
			return err
		}
		if err := readProfileCredential(ctx, &in, secretFile, certFile, keyFile, true, e); err != nil {
			return err
		}
		p, err := db.CreateProfile(ctx, in, by)
		if err != nil {
			return profileError(err)
		}
		audit("profile.created", p.Name, fmt.Sprintf("id %d, tenant %s, app %s, mailbox %s, from the command line", p.ID, p.Tenant, p.ClientID, p.Mailbox))
		fmt.Fprintf(e.stdout, "Saved profile %q (id %d).\n", p.Name, p.ID)
	case "list":
		ps, err := db.Profiles(ctx, filter)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCLOUD\tTENANT\tMAILBOX\tCREDENTIAL\tTAGS")
		for _, p := range ps {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Cloud, p.Tenant, p.Mailbox, credentialSummary(p), store.JoinTags(p.Tags))
		}
		return tw.Flush()
	case "show", "rm", "edit":
		if fs.NArg() != 1 {
			return usageError("profile %s needs the profile's NAME", sub)
		}
		p, err := db.ProfileByName(ctx, fs.Arg(0))
		if errors.Is(err, store.ErrNotFound) {
			return usageError("no profile named %q (see: smtpoauth profile list)", fs.Arg(0))
		} else if err != nil {
			return err
		}
		switch sub {
		case "show":
			showProfile(e.stdout, p)
		case "rm":
			if err := db.DeleteProfile(ctx, p.ID); err != nil {
				return err
			}
			audit("profile.deleted", p.Name, fmt.Sprintf("id %d, from the command line", p.ID))
			fmt.Fprintf(e.stdout, "Removed profile %q; its test runs stay in the history.\n", p.Name)
		case "edit":
			merged := mergeEdit(fs, p, in)
			if err := overrideError(policy.CheckOverrides(merged.SMTPHost, merged.Authority)); err != nil {
				return err
			}
			if err := readProfileCredential(ctx, &merged, secretFile, certFile, keyFile, false, e); err != nil {
				return err
			}
			updated, err := db.UpdateProfile(ctx, p.ID, merged, by)
			if err != nil {
				return profileError(err)
			}
			audit("profile.updated", updated.Name, fmt.Sprintf("id %d, from the command line", p.ID))
			if merged.Secret != "" || merged.PrivateKeyPEM != "" {
				audit("secret.replaced", updated.Name, fmt.Sprintf("id %d, %s, from the command line", p.ID, updated.CredentialKind))
			}
			fmt.Fprintf(e.stdout, "Updated profile %q.\n", merged.Name)
		}
	default:
		return usageError("unknown profile command %q: use add, list, show, edit or rm", sub)
	}
	return nil
}

// mergeEdit starts from the stored profile and applies only the flags that were given.
func mergeEdit(fs *flag.FlagSet, p *store.Profile, in store.ProfileInput) store.ProfileInput {
	out := store.ProfileInput{Name: p.Name, Cloud: string(p.Cloud), Tenant: p.Tenant, ClientID: p.ClientID, CredentialKind: p.CredentialKind,
		SecretExpiresOn: p.SecretExpiresOn, Mailbox: p.Mailbox, From: p.From, TestRecipient: p.TestRecipient,
		SMTPHost: p.SMTPHost, Authority: p.Authority, Notes: p.Notes, AuthModel: string(p.AuthModel), Tags: in.Tags}
	fields := map[string]*string{"auth-model": &out.AuthModel, "name": &out.Name, "cloud": &out.Cloud, "tenant": &out.Tenant, "client-id": &out.ClientID,
		"mailbox": &out.Mailbox, "from": &out.From, "test-recipient": &out.TestRecipient, "smtp-host": &out.SMTPHost,
		"authority": &out.Authority, "secret-expires": &out.SecretExpiresOn, "notes": &out.Notes}
	given := map[string]string{"auth-model": in.AuthModel, "name": in.Name, "cloud": in.Cloud, "tenant": in.Tenant, "client-id": in.ClientID,
		"mailbox": in.Mailbox, "from": in.From, "test-recipient": in.TestRecipient, "smtp-host": in.SMTPHost,
		"authority": in.Authority, "secret-expires": in.SecretExpiresOn, "notes": in.Notes}
	fs.Visit(func(f *flag.Flag) {
		if dst, ok := fields[f.Name]; ok {
			*dst = given[f.Name]
		}
	})
	return out
}

// readProfileCredential fills in the credential from the files given. Without any (edit only), the
// stored credential of either kind stays as it is.
func readProfileCredential(ctx context.Context, in *store.ProfileInput, secretFile, certFile, keyFile string, required bool, e env) error {
	if certFile != "" || keyFile != "" {
		if certFile == "" || keyFile == "" {
			return usageError("a certificate credential needs both --cert-file and --key-file")
		}
		if secretFile != "" {
			return usageError("give either --secret-file or --cert-file with --key-file, not both")
		}
		c, err := readInputFile(ctx, "--cert-file", certFile, maxInputBytes)
		if err != nil {
			return err
		}
		k, err := readInputFile(ctx, "--key-file", keyFile, maxInputBytes)
		if err != nil {
			return err
		}
		in.CredentialKind, in.CertificatePEM, in.PrivateKeyPEM = store.KindCertificate, string(c), string(k)
		return nil
	}
	switch {
	case secretFile == "-":
		b, err := readStdin(ctx, "--secret-file", e.stdin)
		if err != nil {
			return err
		}
		in.Secret = strings.TrimRight(string(b), "\r\n")
	case secretFile != "":
		b, err := readInputFile(ctx, "--secret-file", secretFile, maxInputBytes)
		if err != nil {
			return err
		}
		in.Secret = strings.TrimRight(string(b), "\r\n")
	case required:
		secret, err := askHidden(ctx, "Client secret value (not shown): ", e)
		if errors.Is(err, errNoTerminal) {
			return usageError("no secret: use --secret-file FILE, or --secret-file - to read standard input")
		}
		if err != nil {
			return err
		}
		in.Secret = secret
	default:
		return nil // an edit that gives no credential keeps the stored one, secret or certificate
	}
	in.CredentialKind = store.KindSecret
	return nil
}

// profileError and userError turn the store's refusals into usage errors (exit 2) in words.
func profileError(err error) error { return inputError("invalid profile", err) }

func userError(err error) error { return inputError("invalid user", err) }

func inputError(what string, err error) error {
	var ve *store.ValidationError
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ve):
		return usageError("%s", what+": "+joinFields(i18n.Fields(i18n.EN, ve.Fields)))
	case errors.As(err, &ce):
		return usageError("%s", ce.Field+": "+i18n.Msg(i18n.EN, ce.Message))
	}
	return err
}

func credentialSummary(p *store.Profile) string {
	if !p.HasCredential() {
		return "none"
	}
	if p.CredentialKind == store.KindCertificate {
		return "certificate " + p.SecretHint + "…"
	}
	return fmt.Sprintf("secret %s… set %s", p.SecretHint, p.SecretSetAt.Format("2006-01-02"))
}

func showProfile(w io.Writer, p *store.Profile) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	rows := [][2]string{{"Name", p.Name}, {"Cloud", string(p.Cloud)}, {"Tenant", p.Tenant}, {"Application (client) ID", p.ClientID},
		{"Credential", credentialSummary(p)}, {"Secret expires", p.SecretExpiresOn}, {"Mailbox", p.Mailbox}, {"From", p.From},
		{"Test recipient", p.TestRecipient}, {"SMTP host override", p.SMTPHost}, {"Authority override", p.Authority},
		{"Authorisation model", string(p.AuthModel)}, {"Tags", store.JoinTags(p.Tags)}, {"Notes", p.Notes},
		{"Created", p.CreatedAt.Format("2006-01-02 15:04") + " by " + p.CreatedBy}, {"Updated", p.UpdatedAt.Format("2006-01-02 15:04") + " by " + p.UpdatedBy}}
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
		}
	}
	tw.Flush()
}

// joinFields lists field messages sorted by field, as "field: message; field: message".
func joinFields(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + fields[k]
	}
	return strings.Join(parts, "; ")
}
