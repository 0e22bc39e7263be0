package handlers

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
)

// metrics is the console's Prometheus registry: its own, not the global one, so that two
// Servers (as in tests) never share counters.
type metrics struct {
	reg          *prometheus.Registry
	runs         *prometheus.CounterVec
	steps        *prometheus.HistogramVec
	tokenReqs    *prometheus.CounterVec
	apiRequests  *prometheus.CounterVec
	handler      http.Handler
	connNameTags bool
}

// apiMetrics returns the Server's metrics, made on first use.
func (s *Server) apiMetrics() *metrics {
	s.api.once.Do(func() { s.api.metrics = newMetrics(s) })
	return s.api.metrics
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), connNameTags: s.integrations.MetricsNames,
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpoauth_runs_total",
			Help: "Test runs finished since the console started, by outcome and diagnosis code (\"none\" when passed)."}, []string{"outcome", "diagnosis"}),
		steps: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "smtpoauth_run_step_duration_seconds",
			Help:    "How long each step of a test run took, named as in the transcript: token, connect, banner, ehlo, starttls, tls_handshake, ehlo_tls, auth, mail, rcpt, data, quit.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30}}, []string{"step"}),
		tokenReqs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpoauth_oauth_token_requests_total",
			Help: "OAuth token requests to Entra ID made by test runs, by outcome (ok or failed)."}, []string{"outcome"}),
		apiRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "smtpoauth_api_requests_total",
			Help: "REST API requests by API token name and HTTP status code."}, []string{"token", "code"}),
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.runs, m.steps, m.tokenReqs, m.apiRequests, &connectionCollector{s: s, names: s.integrations.MetricsNames})
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: promLogger{s}, ErrorHandling: promhttp.ContinueOnError})
	return m
}

type promLogger struct{ s *Server }

func (l promLogger) Println(v ...any) { l.s.Log.Error("collecting metrics", "err", v) }

// observeRun counts a finished run; one cut off by a shutdown is "interrupted", not "failed",
// so a failure-rate alert does not fire on every deployment.
func (m *metrics) observeRun(res *mailer.Result, interrupted bool) {
	outcome, code := "failed", "none"
	switch {
	case res.OK:
		outcome = "passed"
	case interrupted:
		outcome = "interrupted"
	}
	if res.Diagnosis != nil {
		code = res.Diagnosis.Code
	}
	m.runs.WithLabelValues(outcome, code).Inc()
	for st, ms := range res.Timings {
		m.steps.WithLabelValues(string(st)).Observe(float64(ms) / 1000)
	}
	if _, asked := res.Timings[mailer.StageToken]; asked {
		tok := "ok"
		if !res.OK && (res.Stage == mailer.StageToken || res.Stage == mailer.StageInput) {
			tok = "failed"
		}
		m.tokenReqs.WithLabelValues(tok).Inc()
	}
}

func (m *metrics) apiRequest(token string, status int) {
	m.apiRequests.WithLabelValues(token, strconv.Itoa(status)).Inc()
}

// connectionCollector reads each connection's state from the store at scrape time, so the
// values survive restarts and a deleted connection disappears from the next scrape.
type connectionCollector struct {
	s     *Server
	names bool
}

var (
	connLabels     = []string{"connection_id"}
	connNameLabels = []string{"connection_id", "connection", "tenant"}
)

func (c *connectionCollector) labels(extra ...string) []string {
	base := connLabels
	if c.names {
		base = connNameLabels
	}
	return append(append([]string{}, base...), extra...)
}

func (c *connectionCollector) descs() (last, success, expiry, diag *prometheus.Desc) {
	return prometheus.NewDesc("smtpoauth_connection_last_result", "Whether the connection's last finished test passed (1) or failed (0).", c.labels(), nil),
		prometheus.NewDesc("smtpoauth_connection_last_success_timestamp_seconds", "When the connection last passed a test, as a Unix time.", c.labels(), nil),
		prometheus.NewDesc("smtpoauth_connection_credential_expiry_timestamp_seconds", "When the connection's client secret (as entered) or certificate (NotAfter) expires, as a Unix time.", c.labels(), nil),
		prometheus.NewDesc("smtpoauth_connection_last_diagnosis", "Always 1; the code label is the diagnosis of the connection's last finished test (\"none\" when it passed).", c.labels("code"), nil)
}

// Describe sends the connection metrics' descriptions.
func (c *connectionCollector) Describe(ch chan<- *prometheus.Desc) {
	a, b, d, e := c.descs()
	ch <- a
	ch <- b
	ch <- d
	ch <- e
}

// Collect reads the connections and their last runs.
func (c *connectionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lastDesc, successDesc, expiryDesc, diagDesc := c.descs()
	profiles, err := c.s.DB.Profiles(ctx, "")
	if err != nil {
		ch <- prometheus.NewInvalidMetric(lastDesc, err)
		return
	}
	last, err := c.s.DB.LastRuns(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(lastDesc, err)
		return
	}
	success, err := c.s.DB.LastSuccesses(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(successDesc, err)
		return
	}
	for _, p := range profiles {
		lv := []string{strconv.FormatInt(p.ID, 10)}
		if c.names {
			lv = append(lv, p.Name, p.Tenant)
		}
		if lr, ok := last[p.ID]; ok && (lr.Outcome == store.OutcomePassed || lr.Outcome == store.OutcomeFailed) {
			v, code := 0.0, lr.DiagnosisCode
			if lr.Outcome == store.OutcomePassed {
				v = 1
			}
			if code == "" {
				code = "none"
			}
			ch <- prometheus.MustNewConstMetric(lastDesc, prometheus.GaugeValue, v, lv...)
			ch <- prometheus.MustNewConstMetric(diagDesc, prometheus.GaugeValue, 1, append(lv, code)...)
		}
		if t, ok := success[p.ID]; ok {
			ch <- prometheus.MustNewConstMetric(successDesc, prometheus.GaugeValue, float64(t.Unix()), lv...)
		}
		if t, ok := credentialExpiry(p); ok {
			ch <- prometheus.MustNewConstMetric(expiryDesc, prometheus.GaugeValue, float64(t.Unix()), lv...)
		}
	}
}

// metricsPage serves the metrics in Prometheus' text format.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	s.apiMetrics().handler.ServeHTTP(w, r)
}

// requireMetrics lets in an admin's session, an address the configuration allows, or a token
// with the metrics scope. A token's reads are audited once an hour, not at every scrape: a
// Prometheus scraping every 15 s would otherwise add 5,760 lines a day to an append-only log.
func (s *Server) requireMetrics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := userFrom(r); u != nil && u.IsAdmin() {
			next.ServeHTTP(w, r)
			return
		}
		// The client's address as clientAddr believes it: behind a trusted proxy, the one it forwarded.
		if addr, err := netip.ParseAddr(s.clientAddr(r)); err == nil {
			for _, p := range s.integrations.MetricsAllowed {
				if p.Contains(addr.Unmap()) {
					next.ServeHTTP(w, r)
					return
				}
			}
		}
		if _, present := bearer(r); !present && userFrom(r) != nil {
			s.audit(r, "access.denied", r.Method+" "+r.URL.Path, "")
			s.apiError(w, r, errAdminOnly)
			return
		}
		t, err := s.authenticate(r, store.ScopeMetrics)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		s.api.scrapesMu.Lock()
		due := s.now().Sub(s.api.scrapes[t.ID]) >= time.Hour
		if due {
			if s.api.scrapes == nil {
				s.api.scrapes = map[int64]time.Time{}
			}
			s.api.scrapes[t.ID] = s.now()
		}
		s.api.scrapesMu.Unlock()
		if due {
			s.auditAs(r, tokenActor(t), "metrics.read", "audited once an hour")
		}
		next.ServeHTTP(w, r)
	})
}
