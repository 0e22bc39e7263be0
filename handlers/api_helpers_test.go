package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// mustAPIToken makes a token the way `smtpoauth token create` does and returns it.
func (c *console) mustAPIToken(tb testing.TB, name, role string, scopes ...string) string {
	tb.Helper()
	if len(scopes) == 0 {
		scopes = []string{store.ScopeAPI}
	}
	tok, _, err := c.DB.CreateAPIToken(tb.Context(), store.APITokenInput{Name: name, Role: role, Scopes: scopes}, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// contract checks every API exchange of a test against the OpenAPI document and notes which
// documented operations answered with a success.
type contract struct {
	v        validator.Validator
	mu       sync.Mutex
	answered map[string]bool // "METHOD /path/{template}" → answered 2xx
}

func newContract(tb testing.TB) *contract {
	tb.Helper()
	doc, err := libopenapi.NewDocument(handlers.OpenAPI)
	if err != nil {
		tb.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		tb.Fatalf("the OpenAPI document does not load: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			tb.Errorf("the OpenAPI document is invalid: %s: %s", e.Message, e.Reason)
		}
		tb.FailNow()
	}
	return &contract{v: v, answered: map[string]bool{}}
}

// check validates one exchange; body is the response body already read.
func (k *contract) check(tb testing.TB, req *http.Request, reqBody []byte, resp *http.Response, body []byte, op string, bad bool) {
	tb.Helper()
	if k == nil {
		return
	}
	// The validator reads both bodies: hand it fresh copies.
	r2 := req.Clone(req.Context())
	r2.Body = io.NopCloser(bytes.NewReader(reqBody))
	resp2 := *resp
	resp2.Body = io.NopCloser(bytes.NewReader(body))
	validate := k.v.ValidateHttpRequestResponse
	if bad {
		// The request breaks the document on purpose: only the answer's shape is checked.
		validate = k.v.ValidateHttpResponse
	}
	if ok, errs := validate(r2, &resp2); !ok {
		for _, e := range errs {
			tb.Errorf("%s %s → %d does not match the document: %s: %s %v", req.Method, req.URL.Path, resp.StatusCode, e.Message, e.Reason, e.SchemaValidationErrors)
		}
	}
	if resp.StatusCode < 300 && op != "" {
		k.mu.Lock()
		k.answered[op] = true
		k.mu.Unlock()
	}
}

// apiCall is one API request: token "" sends none.
type apiCall struct {
	method, path, token string
	body                any
	headers             []string
	// op is the documented operation ("METHOD /api/v1/…{id}") the call exercises.
	op string
	// bad marks a request that breaks the document on purpose.
	bad bool
}

// api sends a call, checks it against the contract if there is one, and returns the answer.
func (c *console) api(tb testing.TB, k *contract, call apiCall) (*http.Response, []byte) {
	tb.Helper()
	var reqBody []byte
	if call.body != nil {
		if s, ok := call.body.(string); ok {
			reqBody = []byte(s)
		} else {
			reqBody, _ = json.Marshal(call.body)
		}
	}
	req, _ := http.NewRequest(call.method, c.URL+call.path, bytes.NewReader(reqBody))
	if call.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if call.token != "" {
		req.Header.Set("Authorization", "Bearer "+call.token)
	}
	for i := 0; i+1 < len(call.headers); i += 2 {
		req.Header.Set(call.headers[i], call.headers[i+1])
	}
	resp, err := anonymous.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	k.check(tb, req, reqBody, resp, b, call.op, call.bad)
	return resp, b
}

// apiJSON is api for calls whose answer must have one status; it decodes the body into out.
func (c *console) apiJSON(tb testing.TB, k *contract, call apiCall, want int, out any) *http.Response {
	tb.Helper()
	resp, b := c.api(tb, k, call)
	if resp.StatusCode != want {
		tb.Fatalf("%s %s: got %d, want %d: %s", call.method, call.path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("%s %s: %v in %s", call.method, call.path, err, b)
		}
	}
	return resp
}

// problemOf decodes a problem details answer, failing on any other kind.
func problemOf(tb testing.TB, resp *http.Response, body []byte) map[string]any {
	tb.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Fatalf("content type %q, want application/problem+json: %s", ct, body)
	}
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		tb.Fatal(err)
	}
	if int(p["status"].(float64)) != resp.StatusCode {
		tb.Fatalf("problem status %v differs from the response's %d", p["status"], resp.StatusCode)
	}
	return p
}

// waitAPIRun polls a run until it has a result.
func (c *console) waitAPIRun(tb testing.TB, k *contract, token, id string) map[string]any {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var run map[string]any
		c.apiJSON(tb, k, apiCall{method: "GET", path: "/api/v1/runs/" + id, token: token, op: "GET /api/v1/runs/{id}"}, 200, &run)
		if run["result"] != nil {
			return run
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("run %s never finished", id)
	return nil
}

// sseEvents reads a stream to its end and returns its events as "name data" lines.
func sseEvents(tb testing.TB, body string) []string {
	tb.Helper()
	var out []string
	for _, block := range strings.Split(body, "\n\n") {
		var name, data string
		for _, line := range strings.Split(block, "\n") {
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				name = v
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok {
				data += v
			}
		}
		if name != "" {
			out = append(out, name+" "+data)
		}
	}
	return out
}
