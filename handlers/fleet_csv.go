package handlers

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// exportColumns are the fleet status CSV's columns. Names shared with the import are spelled
// the same, so an export imports again (without secrets). No secret, key or hint is exported.
var exportColumns = []string{"name", "tags", "state", "last_test_at", "diagnosis_code", "secret_missing", "expires_at",
	"expiry_level", "credential_kind", "cloud", "tenant", "client_id", "mailbox", "from", "test_recipient", "auth_model"}

// exportCSV writes the state of the connections the dashboard's filters select, every page of
// them, in the dashboard's order. Every cell is protected against spreadsheet formulas.
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request) {
	pq := fleetQuery(r.URL.Query())
	pq.PerPage, pq.Page = store.MaxPerPage, 1
	first, err := s.DB.QueryProfiles(r.Context(), pq)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="smtpoauth-connections.csv"`)
	cw := csv.NewWriter(w)
	cw.Write(exportColumns)
	now := s.now()
	for pg := first; ; {
		for _, p := range pg.Profiles {
			cw.Write(exportRow(p, now))
		}
		if pg.Page >= pg.Pages {
			break
		}
		pq.Page = pg.Page + 1
		if pg, err = s.DB.QueryProfiles(r.Context(), pq); err != nil {
			// The header is sent: the truncated file ends with a line saying so.
			s.Log.Error("exporting connections", "err", err)
			cw.Write([]string{"# export incomplete: " + err.Error()})
			break
		}
	}
	cw.Flush()
}

func exportRow(p *store.Profile, now time.Time) []string {
	var tested, expires string
	if !p.Status.TestedAt.IsZero() {
		tested = p.Status.TestedAt.UTC().Format(time.RFC3339)
	}
	if at := p.ExpiresAt(); !at.IsZero() {
		expires = at.UTC().Format(time.RFC3339)
	}
	row := []string{p.Name, store.JoinTags(p.Tags), p.Status.State(), tested, p.Status.DiagnosisCode, strconv.FormatBool(!p.HasCredential()),
		expires, p.Expiry(now).Level.String(), p.CredentialKind, string(p.Cloud), p.Tenant, p.ClientID, p.Mailbox, p.From, p.TestRecipient, string(p.AuthModel)}
	for i := range row {
		row[i] = store.ProtectCell(row[i])
	}
	return row
}

// importForm shows the upload form for connections without secrets.
func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.ImportPage(s.importView(r)))
}

func (s *Server) importView(r *http.Request) web.ImportView {
	return web.ImportView{Page: s.page(r, i18n.T(r.Context(), "import.title"), "profiles"), Columns: store.ImportColumns,
		MaxKiB: int(s.limits.Upload >> 10)}
}

// importCSV saves the uploaded file's connections, all or nothing, marked "secret missing": the
// web takes no secrets. Every problem is shown with its line and column.
func (s *Server) importCSV(w http.ResponseWriter, r *http.Request) {
	v := s.importView(r)
	lang := i18n.From(r.Context())
	f, hdr, err := r.FormFile("file")
	if err != nil {
		v.Problems = []web.ImportProblemView{{Message: i18n.T(r.Context(), "import.no_file")}}
		s.render(w, r, http.StatusUnprocessableEntity, web.ImportPage(v))
		return
	}
	defer f.Close()
	rows, err := store.ReadImportCSV(f)
	var prior []store.ImportProblem
	if err == nil {
		policy := s.Checker.OutboundPolicy()
		for _, row := range rows {
			for _, e := range unjoin(policy.CheckOverrides(row.Input.SMTPHost, row.Input.Authority)) {
				var fe *mailer.FieldError
				if errors.As(e, &fe) {
					prior = append(prior, store.ImportProblem{Line: row.Line, Column: fe.Field, Message: fe.Message})
				}
			}
		}
	}
	var ids []int64
	if err == nil {
		ids, err = s.DB.ImportProfiles(r.Context(), rows, currentUser(r), store.ImportOptions{SecretMissing: true, Prior: prior})
	}
	var ie *store.ImportError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			v.Problems = append(v.Problems, web.ImportProblemView{Line: p.Line, Column: p.Column, Message: i18n.Msg(lang, p.Message)})
		}
		if ie.More > 0 {
			v.Problems = append(v.Problems, web.ImportProblemView{Message: i18n.T(r.Context(), "import.more", ie.More)})
		}
		s.render(w, r, http.StatusUnprocessableEntity, web.ImportPage(v))
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "profiles.imported", strconv.Itoa(len(ids)), fmt.Sprintf("%d connections from %s, without secrets", len(ids), hdr.Filename))
	http.Redirect(w, r, "/?status="+store.FilterSecretMissing, http.StatusSeeOther)
}
