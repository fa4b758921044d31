package oidcprovider_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// BenchmarkSignInRoundTrip measures one whole sign-in on loopback: the authorisation
// request (page), the approval (redirect with the code) and the token request (signed ID
// token). It reports sign-ins per second and the 99th percentile of one round trip.
func BenchmarkSignInRoundTrip(b *testing.B) {
	e := newEnv(b)
	var took []time.Duration
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		t0 := time.Now()
		v, ch := pkce()
		form := url.Values{"grant_type": {"authorization_code"}, "code": {e.code(b, ch)}, "redirect_uri": {redirect}, "code_verifier": {v}}
		if status, out, _ := e.token(b, form, true); status != http.StatusOK {
			b.Fatalf("token: %d %v", status, out["error"])
		}
		took = append(took, time.Since(t0))
	}
	elapsed := time.Since(start)
	slices.Sort(took)
	b.ReportMetric(float64(len(took))/elapsed.Seconds(), "signins/s")
	b.ReportMetric(float64(took[len(took)*99/100]), "p99-ns")
}
