package exchange_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusEntry is one real reply in testdata/replies/corpus.json; the README there defines the fields.
type corpusEntry struct {
	ID               string `json:"id"`
	Kind             string `json:"kind"`
	Stage            string `json:"stage"`
	Reply            string `json:"reply"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	HTTPStatus       int    `json:"http_status"`
	RetryAfter       string `json:"retry_after"`
	Source           string `json:"source"`
	SourceKind       string `json:"source_kind"`
	Context          string `json:"context"`
	ExpectedCause    string `json:"expected_cause"`
	Truncated        bool   `json:"truncated"`
	RenderedBy       string `json:"rendered_by"`
	FromFacts        bool   `json:"from_facts"`
}

var (
	corpusID    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
	smtpCode    = regexp.MustCompile(`^[2-5][0-9][0-9]`)
	aadstsCode  = regexp.MustCompile(`AADSTS([0-9]+)`)
	readmeTable = regexp.MustCompile("^\\| `([a-z0-9_-]+)` \\|")
	smtpStages  = []string{"", "banner", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "quit"}
)

// loadCorpus decodes the corpus strictly, so a misspelt field name fails instead of vanishing.
func loadCorpus(t *testing.T) []corpusEntry {
	t.Helper()
	raw, err := os.ReadFile("testdata/replies/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var entries []corpusEntry
	if err := dec.Decode(&entries); err != nil {
		t.Fatalf("corpus.json: %v", err)
	}
	return entries
}

// readmeCodes returns the backticked codes of the table under the README heading,
// so the vocabulary lives in one place that people read.
func readmeCodes(t *testing.T, heading string) map[string]bool {
	t.Helper()
	f, err := os.Open("testdata/replies/README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	codes := map[string]bool{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## "+heading
			continue
		}
		if m := readmeTable.FindStringSubmatch(line); in && m != nil {
			codes[m[1]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(codes) == 0 {
		t.Fatalf("README has no codes under %q", heading)
	}
	return codes
}

func TestCorpusEntriesAreWellFormed(t *testing.T) {
	entries := loadCorpus(t)
	causes := readmeCodes(t, "Cause codes")
	kinds := readmeCodes(t, "Source kinds")
	seen := map[string]bool{}
	for _, e := range entries {
		if !corpusID.MatchString(e.ID) {
			t.Errorf("id %q: not a lower-case slug", e.ID)
		}
		if seen[e.ID] {
			t.Errorf("id %q: used twice", e.ID)
		}
		seen[e.ID] = true
		if u, err := url.Parse(e.Source); err != nil || u.Scheme != "https" || u.Host == "" {
			t.Errorf("%s: source %q is not an https link", e.ID, e.Source)
		}
		if !kinds[e.SourceKind] {
			t.Errorf("%s: source_kind %q is not listed in the README", e.ID, e.SourceKind)
		}
		if !causes[e.ExpectedCause] {
			t.Errorf("%s: expected_cause %q is not listed in the README", e.ID, e.ExpectedCause)
		}
		if strings.TrimSpace(e.Context) == "" {
			t.Errorf("%s: context is empty", e.ID)
		}
		switch e.Kind {
		case "smtp":
			checkSMTPEntry(t, e)
		case "token":
			checkTokenEntry(t, e)
		default:
			t.Errorf("%s: kind %q, want smtp or token", e.ID, e.Kind)
		}
	}
}

func checkSMTPEntry(t *testing.T, e corpusEntry) {
	t.Helper()
	if !smtpCode.MatchString(e.Reply) {
		t.Errorf("%s: SMTP reply %q does not start with a reply code", e.ID, e.Reply)
	}
	if !slices.Contains(smtpStages, e.Stage) {
		t.Errorf("%s: stage %q is not an SMTP command", e.ID, e.Stage)
	}
	if e.ErrorDescription != "" || e.HTTPStatus != 0 {
		t.Errorf("%s: SMTP entry carries token fields", e.ID)
	}
}

func checkTokenEntry(t *testing.T, e corpusEntry) {
	t.Helper()
	if e.Stage != "token" {
		t.Errorf("%s: stage %q, want token", e.ID, e.Stage)
	}
	if e.Reply == "" && e.ErrorDescription == "" {
		t.Errorf("%s: neither reply nor error_description", e.ID)
	}
	if e.HTTPStatus != 0 && (e.HTTPStatus < 100 || e.HTTPStatus > 599) {
		t.Errorf("%s: http_status %d", e.ID, e.HTTPStatus)
	}
	code := aadstsCode.FindStringSubmatch(e.Reply + " " + e.ErrorDescription)
	// An HTML page is the one token reply that carries neither code nor status when the
	// reporter did not show the status line.
	html := e.ExpectedCause == "non_json_response" && strings.HasPrefix(e.Reply, "<")
	if code == nil && e.HTTPStatus == 0 && !html {
		t.Errorf("%s: token entry has no AADSTS code and no HTTP status", e.ID)
	}
	if strings.HasPrefix(e.Reply, "{") && !e.Truncated {
		checkTokenJSON(t, e, code)
	}
}

// checkTokenJSON catches copying slips: a complete body must parse, name an OAuth error,
// and list in error_codes the AADSTS number its description starts with.
func checkTokenJSON(t *testing.T, e corpusEntry, code []string) {
	t.Helper()
	var body struct {
		Error      string `json:"error"`
		ErrorCodes []int  `json:"error_codes"`
	}
	if err := json.Unmarshal([]byte(e.Reply), &body); err != nil {
		t.Errorf("%s: reply looks like JSON but does not parse (mark it truncated if the source cut it): %v", e.ID, err)
		return
	}
	if body.Error == "" {
		t.Errorf("%s: JSON reply has no error field", e.ID)
	}
	if code == nil || len(body.ErrorCodes) == 0 {
		return
	}
	n, _ := strconv.Atoi(code[1])
	if !slices.Contains(body.ErrorCodes, n) {
		t.Errorf("%s: error_codes %v do not contain AADSTS%s", e.ID, body.ErrorCodes, code[1])
	}
}

func TestCorpusUsesEveryListedCause(t *testing.T) {
	used := map[string]bool{}
	for _, e := range loadCorpus(t) {
		used[e.ExpectedCause] = true
	}
	for c := range readmeCodes(t, "Cause codes") {
		if !used[c] {
			t.Errorf("cause %q is listed in the README but no entry has it", c)
		}
	}
}

func TestCorpusCounts(t *testing.T) {
	entries := loadCorpus(t)
	byKind, bySource := map[string]int{}, map[string]int{}
	own := 0
	for _, e := range entries {
		byKind[e.Kind]++
		bySource[e.SourceKind]++
		if !e.FromFacts {
			own++
		}
	}
	t.Logf("%d entries, %d found for the corpus (not marked from_facts)", len(entries), own)
	t.Logf("by kind: %s", countLine(byKind))
	t.Logf("by source_kind: %s", countLine(bySource))
	if len(entries) < 60 {
		t.Errorf("got %d entries, want at least 60", len(entries))
	}
}

func countLine(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Itoa(m[k])
	}
	return strings.Join(parts, " ")
}
