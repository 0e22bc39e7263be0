package handlers

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the API's OpenAPI 3.1 description, written by hand once and checked against the
// route table and the handlers' answers in the tests.
//
//go:embed openapi.json
var OpenAPI []byte

// apiRoutes are the REST API's entries in the route table. Roles are as for people: the help
// desk reads and runs tests and edits notes, only admins change connections.
func (s *Server) apiRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/openapi.json", Public, s.openAPIDocument},
		{"GET", "/api/v1/connections", APIReader, s.apiListConnections},
		{"POST", "/api/v1/connections", APIAdmin, s.apiCreateConnection},
		{"GET", "/api/v1/connections/{id}", APIReader, s.apiGetConnection},
		{"PATCH", "/api/v1/connections/{id}", APIAdmin, s.apiUpdateConnection},
		{"DELETE", "/api/v1/connections/{id}", APIAdmin, s.apiDeleteConnection},
		{"PUT", "/api/v1/connections/{id}/notes", APIReader, s.apiUpdateNotes},
		{"POST", "/api/v1/connections/{id}/runs", APIReader, s.apiStartRun},
		{"GET", "/api/v1/runs", APIReader, s.apiListRuns},
		{"GET", "/api/v1/runs/{id}", APIReader, s.apiGetRun},
		{"GET", "/api/v1/runs/{id}/transcript", APIReader, s.apiTranscript},
		{"GET", "/api/v1/runs/{id}/events", APIReader, s.apiRunEvents},
	}
}

var errMethodNotAllowed = &apiProblem{status: http.StatusMethodNotAllowed, code: "method_not_allowed", detail: "this method is not allowed here: see /api/v1/openapi.json"}

// openAPIDocument serves the API's description; it holds nothing secret, so anyone may read it.
func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(OpenAPI)
}
