package handlers

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func auditFilter(r *http.Request) (store.AuditFilter, web.AuditView) {
	q := r.URL.Query()
	v := web.AuditView{Actor: q.Get("actor"), Action: q.Get("action"), From: q.Get("from"), To: q.Get("to")}
	f := store.AuditFilter{Actor: v.Actor, Action: v.Action}
	if t, err := time.Parse(dateFormat, v.From); err == nil {
		f.From = t
	}
	if t, err := time.Parse(dateFormat, v.To); err == nil {
		f.To = t.Add(24 * time.Hour) // "to" includes that day
	}
	v.CSVURL = "/audit.csv?" + url.Values{"actor": {v.Actor}, "action": {v.Action}, "from": {v.From}, "to": {v.To}}.Encode()
	return f, v
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	f, v := auditFilter(r)
	entries, err := s.DB.AuditLog(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Page = s.page(r, i18n.T(r.Context(), "audit.title"), "audit")
	for _, e := range entries {
		v.Entries = append(v.Entries, web.AuditRow{At: when(r.Context(), e.At), Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail, RemoteAddr: e.RemoteAddr})
	}
	s.render(w, r, http.StatusOK, web.AuditPage(v))
}

// auditCSV exports the filtered log. Cells that a spreadsheet would run as a formula are
// prefixed with a quote.
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	f, _ := auditFilter(r)
	f.Limit = 100000
	entries, err := s.DB.AuditLog(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="smtpoauth-audit.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "actor", "action", "target", "detail", "address"})
	for _, e := range entries {
		cw.Write([]string{e.At.UTC().Format(time.RFC3339), inertCell(e.Actor), inertCell(e.Action), inertCell(e.Target), inertCell(e.Detail), inertCell(e.RemoteAddr)})
	}
	cw.Flush()
}

func inertCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
