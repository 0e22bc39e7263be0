package handlers

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// problem is an RFC 9457 problem details object. Code is a stable, machine-readable name of
// the problem; Errors names each invalid field.
type problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail,omitempty"`
	Instance string            `json:"instance,omitempty"`
	Code     string            `json:"code"`
	Errors   map[string]string `json:"errors,omitempty"`
}

// apiProblem is an error the API itself raises, with its status, code and words.
type apiProblem struct {
	status       int
	code, detail string
	fields       map[string]string
}

func (e *apiProblem) Error() string { return e.detail }

// apiError is the API's one place where errors become responses: the same errors as the
// console's, as problem details instead of pages.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r) {
		s.clientLeft(w, r, err)
		return
	}
	ctx := r.Context()
	p := problem{Status: http.StatusInternalServerError, Code: "internal", Detail: i18n.T(ctx, "err.generic")}
	var ap *apiProblem
	var ve *store.ValidationError
	var ce *store.ConflictError
	var be *badRequest
	var se *statusError
	switch {
	case errors.As(err, &ap):
		p.Status, p.Code, p.Detail, p.Errors = ap.status, ap.code, ap.detail, ap.fields
	case errors.As(err, &se):
		_, p.Detail = se.words(ctx)
		p.Status, p.Code = se.status, problemCode(se)
		if se.status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "60")
		}
	case errors.Is(err, store.ErrBusy):
		w.Header().Set("Retry-After", "5")
		p.Status, p.Code, p.Detail = http.StatusServiceUnavailable, "busy", i18n.T(ctx, "err.busy")
	case errors.Is(err, store.ErrNotFound):
		p.Status, p.Code, p.Detail = http.StatusNotFound, "not_found", i18n.T(ctx, "err.notfound")
	case errors.As(err, &ve):
		p.Status, p.Code, p.Detail, p.Errors = http.StatusUnprocessableEntity, "invalid", i18n.T(ctx, "err.invalid_title"), i18n.Fields(i18n.From(ctx), ve.Fields)
	case errors.As(err, &ce):
		msg := i18n.Msg(i18n.From(ctx), ce.Message)
		p.Status, p.Code, p.Detail, p.Errors = http.StatusConflict, "conflict", msg, map[string]string{ce.Field: msg}
	case errors.As(err, &be):
		p.Status, p.Code, p.Detail = http.StatusBadRequest, "bad_request", be.msg
	case errors.Is(err, store.ErrSealed):
		s.Log.Error("sealed secret cannot be opened", "path", r.URL.Path, "err", err)
		p.Code, p.Detail = "sealed", i18n.T(ctx, "err.sealed")
	default:
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="smtpoauth"`)
	}
	p.Type, p.Title, p.Instance = "about:blank", http.StatusText(p.Status), r.URL.Path
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// problemCode names a console refusal for scripts.
func problemCode(se *statusError) string {
	switch se.status {
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusRequestTimeout:
		return "too_slow"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	}
	return "refused"
}

// writeJSON answers with a JSON document; API answers are never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decodeJSON reads a request's JSON body into v, refusing unknown fields (a misspelt field is
// a mistake to report, not to ignore) and anything but one JSON object.
func decodeJSON(r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && ct != "application/json" && !startsWith(ct, "application/json;") {
		return &apiProblem{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", detail: "send the body as application/json"}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apiProblem{status: http.StatusRequestEntityTooLarge, code: "too_large", detail: "the body is too large"}
		}
		return &apiProblem{status: http.StatusBadRequest, code: "bad_json", detail: "the body is not the JSON object this endpoint takes: " + err.Error()}
	}
	if dec.More() {
		return &apiProblem{status: http.StatusBadRequest, code: "bad_json", detail: "send one JSON object, nothing after it"}
	}
	return nil
}

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }
