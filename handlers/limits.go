package handlers

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"time"
)

// Limits bound what one request may cost the console before anyone is known.
type Limits struct {
	// PublicForm bounds the body of forms anyone may send: sign-in, setup, language.
	PublicForm int64
	// Form bounds the other forms; notes of up to 10,000 characters fit, percent-encoded.
	Form int64
	// Upload bounds the forms that carry a certificate and its key, the largest the console takes.
	Upload int64
	// BodyTimeout is how long a request body may take to arrive; slower ones are cut off.
	BodyTimeout time.Duration
	// WriteTimeout is how long a response may take to be taken by the client; a client that
	// stops reading (or pipelines requests it never reads) loses its connection after that.
	// The live transcript extends it before each event. Zero means the default.
	WriteTimeout time.Duration
}

// DefaultLimits are a few KiB for what anyone may send, more only where a certificate goes.
func DefaultLimits() Limits {
	return Limits{PublicForm: 8 << 10, Form: 64 << 10, Upload: 256 << 10, BodyTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
}

// uploadRoutes take a certificate and its private key, possibly as a multipart upload, or a CSV
// of connections to import.
var uploadRoutes = map[string]bool{"POST /profiles": true, "POST /profiles/{id}": true, "POST /wizard/token": true,
	"POST /wizard": true, "POST /profiles/{id}/edit": true, "POST /profiles/{id}/token": true, "POST /import": true}

// guardBody gives every request body a deadline and the console's largest size limit, whatever
// route it goes to (or none): a slow or endless body never holds a connection. Every response
// gets a write deadline too, so a client that does not read its responses doesn't either.
// Requests without a body, such as the live transcript's long GET, get no read deadline.
func (s *Server) guardBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.extendWrite(w)
		if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
			if s.limits.BodyTimeout > 0 {
				http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.limits.BodyTimeout))
			}
			r.Body = http.MaxBytesReader(w, r.Body, s.limits.Upload)
		}
		next.ServeHTTP(w, r)
	})
}

// extendWrite gives the response WriteTimeout from now to be delivered; long handlers call it
// again before they write.
func (s *Server) extendWrite(w http.ResponseWriter) {
	d := s.limits.WriteTimeout
	if d <= 0 {
		d = DefaultLimits().WriteTimeout
	}
	// An error means the writer can't have deadlines (a test recorder): nothing to guard.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
}

// readBody reads a route's whole body before its handler runs, within the route's limit: a form
// into memory (multipart only where a certificate may be uploaded, and never spooled to disk),
// anything else discarded. Then the deadline is lifted so that a long handler keeps its context.
func (s *Server) readBody(rt Route) func(http.Handler) http.Handler {
	if rt.Access.isAPI() {
		return s.readAPIBody(rt)
	}
	limit, upload := s.limits.Form, uploadRoutes[rt.Method+" "+rt.Pattern]
	switch {
	case upload:
		limit = s.limits.Upload
	case rt.Access == Public:
		limit = s.limits.PublicForm
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
				next.ServeHTTP(w, r)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			var err error
			switch {
			case ct == "multipart/form-data" && !upload:
				s.error(w, r, &statusError{status: http.StatusUnsupportedMediaType, titleKey: "err.request_title", msgKey: "err.multipart"})
				return
			case ct == "multipart/form-data":
				// All of a body within the limit fits in maxMemory: nothing goes to a temporary file.
				err = r.ParseMultipartForm(limit)
			case ct == "application/x-www-form-urlencoded":
				err = r.ParseForm()
			default:
				_, err = io.Copy(io.Discard, r.Body)
			}
			if err != nil {
				// The connection's read error ended the request's context; the client may wait still.
				w.Header().Set("Connection", "close")
				s.writeError(w, r, s.bodyError(err, limit))
				return
			}
			http.NewResponseController(w).SetReadDeadline(time.Time{})
			s.extendWrite(w)
			next.ServeHTTP(w, r)
		})
	}
}

// bodyError says what went wrong reading a body, in the sender's terms.
func (s *Server) bodyError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		return &statusError{status: http.StatusRequestEntityTooLarge, titleKey: "err.too_large_title", msgKey: "err.too_large", args: []any{fmt.Sprintf("%d KiB", limit>>10)}}
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &statusError{status: http.StatusRequestTimeout, titleKey: "err.slow_title", msgKey: "err.slow", args: []any{int(s.limits.BodyTimeout.Seconds())}}
	}
	return &badRequest{fmt.Sprintf("the form could not be read: %v", err)}
}
