package store_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

var updateRecords = flag.Bool("update-records", false, "rewrite the current version's run record fixtures in testdata/runs")

// loadFixtureRun stores a run whose records are the fixture files <prefix>-result.json and
// <prefix>-transcript.json, exactly as an earlier build wrote them, and reads it back.
func loadFixtureRun(t *testing.T, prefix string) *store.Run {
	t.Helper()
	result, err := os.ReadFile(filepath.Join("testdata", "runs", prefix+"-result.json"))
	if err != nil {
		t.Fatal(err)
	}
	transcript, err := os.ReadFile(filepath.Join("testdata", "runs", prefix+"-transcript.json"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := MustOpenDB(t)
	r := &store.Run{ProfileName: "Contoso billing", StartedBy: "admin"}
	if err := db.StartRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := store.SetRunRecords(ctx, db, r.ID, string(result), string(transcript)); err != nil {
		t.Fatal(err)
	}
	got, err := db.Run(ctx, r.ID)
	if err != nil {
		t.Fatalf("a stored %s run does not load: %v", prefix, err)
	}
	return got
}

// checkAuthRefusedRun asserts what a person sees of the 535 5.7.3 run: diagnosis with its
// commands, claims and their verdicts, timings and the transcript.
func checkAuthRefusedRun(t *testing.T, r *store.Run) {
	t.Helper()
	res := r.Result
	if res == nil || res.OK || res.Stage != mailer.StageAuth {
		t.Fatalf("got result %+v, want a failure at auth", res)
	}
	d := res.Diagnosis
	if d == nil || d.Code != mailer.CodeAuthUnsuccessful || d.Stage != mailer.StageAuth || !strings.HasPrefix(d.Quote, "535 5.7.3 ") {
		t.Fatalf("got diagnosis %+v, want AUTH_UNSUCCESSFUL at auth quoting 535 5.7.3", d)
	}
	if len(d.Steps) != 5 || !strings.Contains(d.Steps[2].Command, "Add-MailboxPermission -Identity 'billing@contoso.com'") {
		t.Fatalf("got steps %+v, want 5 with the filled-in Add-MailboxPermission", d.Steps)
	}
	if d.Values.ObjectID != "a1000000-0000-4000-8000-000000000004" || d.Values.Mailbox != "billing@contoso.com" {
		t.Fatalf("got values %+v, want the token's oid and the mailbox", d.Values)
	}
	if res.Claims == nil || res.Claims.ObjectID != d.Values.ObjectID || !res.Claims.HasSMTPRole() || res.Claims.ExpiresAt.IsZero() {
		t.Fatalf("got claims %+v", res.Claims)
	}
	if len(res.Checks) == 0 || res.Checks[0].Claim != "aud" || !res.Checks[0].OK || !strings.HasPrefix(res.Checks[0].Detail, "audience is ") {
		t.Fatalf("got claim checks %+v", res.Checks)
	}
	if res.Timings[mailer.StageAuth] <= 0 || res.Started.IsZero() || !res.Finished.After(res.Started) {
		t.Fatalf("got timings %v, started %v, finished %v", res.Timings, res.Started, res.Finished)
	}
	if !strings.HasPrefix(res.Error, "auth: server replied 535 5.7.3") {
		t.Fatalf("got error %q", res.Error)
	}
	if len(r.Events) < 10 || r.Events[0].Seq != 1 || r.Events[0].Dir != mailer.Info || r.Events[0].Stage != mailer.StageToken {
		t.Fatalf("got events %+v", r.Events)
	}
	last := r.Events[len(r.Events)-1]
	if !strings.Contains(mailer.RenderText(r.Events), "S: 535 5.7.3 Authentication unsuccessful") || last.OffsetMS <= 0 {
		t.Fatalf("transcript lost the server's refusal:\n%s", mailer.RenderText(r.Events))
	}
}

// checkTokenRefusedRun asserts the Entra refusal: diagnosis, Entra's error with its IDs.
func checkTokenRefusedRun(t *testing.T, r *store.Run) {
	t.Helper()
	res := r.Result
	if res == nil || res.Stage != mailer.StageToken || res.Diagnosis == nil || res.Diagnosis.Code != mailer.CodeTokenSecretInvalid {
		t.Fatalf("got result %+v, want TOKEN_SECRET_INVALID at token", res)
	}
	e := res.Entra
	if e == nil || e.Code != 7000215 || e.HTTPStatus != 401 || e.Error != "invalid_client" || e.TraceID == "" || e.CorrelationID == "" {
		t.Fatalf("got Entra error %+v, want AADSTS7000215 with trace and correlation IDs", e)
	}
	if res.Claims != nil || len(r.Events) == 0 {
		t.Fatalf("got claims %+v and %d events", res.Claims, len(r.Events))
	}
}

func TestRunRecord_V0WrittenBeforeVersionsStillLoads(t *testing.T) {
	t.Run("AuthRefused", func(t *testing.T) { checkAuthRefusedRun(t, loadFixtureRun(t, "v0-auth-refused")) })
	t.Run("TokenRefused", func(t *testing.T) { checkTokenRefusedRun(t, loadFixtureRun(t, "v0-token-refused")) })
}

func TestRunRecord_V1Loads(t *testing.T) {
	t.Run("AuthRefused", func(t *testing.T) { checkAuthRefusedRun(t, loadFixtureRun(t, "v1-auth-refused")) })
	t.Run("TokenRefused", func(t *testing.T) { checkTokenRefusedRun(t, loadFixtureRun(t, "v1-token-refused")) })
}

func TestRunRecord_V2LoadsWithTheCatalogueCodes(t *testing.T) {
	t.Run("AuthRefused", func(t *testing.T) {
		r := loadFixtureRun(t, "v2-auth-refused")
		checkAuthRefusedRun(t, r)
		aud := r.Result.Checks[0].Msg
		if aud.Code != mailer.ClaimAudience || len(aud.Args) != 2 || aud.Args[1] != "https://outlook.office365.com" {
			t.Fatalf("got the audience verdict %+v, want %s with the audience and the resource", aud, mailer.ClaimAudience)
		}
		for i, st := range r.Result.Diagnosis.Steps {
			if st.Msg.Code == "" || st.Text == "" {
				t.Fatalf("step %d is %+v, want its code beside its English words", i, st)
			}
		}
		// A German page puts the stored codes into German, not the stored English words.
		if got := i18n.ClaimDetail(i18n.DE, r.Result.Checks[0]); got == r.Result.Checks[0].Detail {
			t.Fatalf("the German verdict is the stored English %q", got)
		}
	})
	t.Run("TokenRefused", func(t *testing.T) { checkTokenRefusedRun(t, loadFixtureRun(t, "v2-token-refused")) })
}

// withCodes is an older fixture's run as a check of this build reports it and the console saves
// it: the verdicts and steps carry their codes, with English words beside them.
func withCodes(t *testing.T, r *store.Run) *store.Run {
	t.Helper()
	res := *r.Result
	d := *res.Diagnosis
	d.Steps = mailer.DiagnosisSteps(d.Code, d.Values)
	res.Diagnosis = &d
	if res.Claims != nil {
		ep, err := mailer.CloudEndpoints(mailer.CloudGlobal)
		if err != nil {
			t.Fatal(err)
		}
		res.Checks, _ = mailer.InspectClaims(res.Claims, ep, d.Values.Tenant, d.Values.AppID, res.Started)
	}
	res.Diagnosis, res.Checks = i18n.Localize(res.Diagnosis, i18n.EN), i18n.ClaimChecks(i18n.EN, res.Checks)
	out := *r
	out.Result = &res
	return &out
}

// A run as this build saves it is written as the v2 fixture, byte for byte: the format this
// build writes cannot change by accident (a deliberate change is a new version and fixture).
func TestRunRecord_SavedAgainIsWrittenAsV2(t *testing.T) {
	for _, name := range []string{"auth-refused", "token-refused"} {
		t.Run(name, func(t *testing.T) {
			result, transcript, err := store.EncodeRunRecords(withCodes(t, loadFixtureRun(t, "v1-"+name)))
			if err != nil {
				t.Fatal(err)
			}
			for file, got := range map[string][]byte{"v2-" + name + "-result.json": result, "v2-" + name + "-transcript.json": transcript} {
				path := filepath.Join("testdata", "runs", file)
				if *updateRecords {
					os.WriteFile(path, got, 0o644)
				}
				want, err := os.ReadFile(path)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%s: the record written differs (%v); a format change needs a new version:\n%s", path, err, got)
				}
				if !bytes.HasPrefix(got, []byte(`{"version":2,`)) {
					t.Fatalf("%s: got %.40s…, want a version 2 record", path, got)
				}
			}
		})
	}
}

// Runs saved before the codes are saved again with the words they had and no invented codes,
// the same whether they came as version 0 or 1.
func TestRunRecord_OlderRunsSavedAgainKeepTheirWords(t *testing.T) {
	for _, name := range []string{"auth-refused", "token-refused"} {
		t.Run(name, func(t *testing.T) {
			v0, v0t, err := store.EncodeRunRecords(loadFixtureRun(t, "v0-"+name))
			if err != nil {
				t.Fatal(err)
			}
			v1, v1t, err := store.EncodeRunRecords(loadFixtureRun(t, "v1-"+name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v0, v1) || !bytes.Equal(v0t, v1t) {
				t.Fatalf("v0 and v1 saved again differ:\n%s\n%s", v0, v1)
			}
			if !bytes.HasPrefix(v1, []byte(`{"version":2,`)) || bytes.Contains(v1, []byte(`"msg"`)) || bytes.Contains(v1, []byte(`detail_de`)) {
				t.Fatalf("got %s, want a version 2 record without codes", v1)
			}
		})
	}
}

// The input errors behind an INPUT_INVALID diagnosis keep their fields and codes, so a German
// page can say what was wrong in German.
func TestRunRecord_InputErrorsKeepTheirCodes(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	r := &store.Run{ProfileName: "Contoso billing", StartedBy: "admin"}
	if err := db.StartRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	err := (&mailer.Request{Cloud: "mars", Tenant: "contoso.onmicrosoft.com", ClientID: "11111111-aaaa-4bbb-8ccc-000000000004",
		Mailbox: "billing@contoso.com", Credential: mailer.Credential{Secret: "s"}}).Validate()
	res := &mailer.Result{Stage: mailer.StageToken, Diagnosis: mailer.Diagnose(mailer.Facts{Stage: mailer.StageToken, Err: err})}
	if err := db.FinishRun(ctx, r.ID, res); err != nil {
		t.Fatal(err)
	}
	got, err := db.Run(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := got.Result.Diagnosis.Input
	if len(in) != 1 || in[0].Field != "cloud" || in[0].Code != mailer.FieldCloudUnknown || len(in[0].Args) != 1 || in[0].Args[0] != "mars" {
		t.Fatalf("got input errors %+v, want the unknown cloud mars", in)
	}
}

func TestRunRecord_NewerVersionIsRefusedNotMisread(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	r := &store.Run{ProfileName: "Contoso billing", StartedBy: "admin"}
	if err := db.StartRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := store.SetRunRecords(ctx, db, r.ID, `{"version":3,"ok":true,"stage":"done"}`, `[]`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Run(ctx, r.ID); err == nil || !strings.Contains(err.Error(), "version 3 is newer") {
		t.Fatalf("got %v, want a refusal naming version 3", err)
	}
}

// A run that reused a token says so after it is saved and read back; runs saved before the
// field existed read as fresh tokens.
func TestRunRecord_TokenReusedIsKept(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	r := &store.Run{ProfileName: "Contoso billing", StartedBy: "fleet"}
	if err := db.StartRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, r.ID, &mailer.Result{OK: true, Stage: mailer.StageDone, TokenReused: true}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Run(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Result.TokenReused {
		t.Fatal("a run that reused its token reads back as a fresh token")
	}
	if old := loadFixtureRun(t, "v2-auth-refused"); old.Result.TokenReused {
		t.Fatal("a run saved before token reuse existed reads as a reused token")
	}
}
