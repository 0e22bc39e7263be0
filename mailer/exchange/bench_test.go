package exchange_test

import (
	"context"
	"testing"
)

// BenchmarkCheck is one full check against the in-process fake: token request over TLS, claims,
// SMTP with STARTTLS and XOAUTH2, a test message, QUIT.
func BenchmarkCheck(b *testing.B) {
	srv, scenarios := mustFake(b)
	req, err := mustScenario(b, scenarios, "works").Request(srv)
	if err != nil {
		b.Fatal(err)
	}
	checker := srv.Checker()
	b.ReportAllocs()
	for b.Loop() {
		if res := checker.Run(context.Background(), req, nil); !res.OK {
			b.Fatalf("check failed: %v", res.Err)
		}
	}
}

// BenchmarkCheckAuthFailure is the common failing path: 535 5.7.3 and its diagnosis.
func BenchmarkCheckAuthFailure(b *testing.B) {
	srv, scenarios := mustFake(b)
	req, _ := mustScenario(b, scenarios, "no-service-principal").Request(srv)
	checker := srv.Checker()
	b.ReportAllocs()
	for b.Loop() {
		if res := checker.Run(context.Background(), req, nil); res.OK {
			b.Fatal("want a failure")
		}
	}
}
