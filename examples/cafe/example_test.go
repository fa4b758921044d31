package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
)

// The terminal scans the person's code twice: the first scan checks them in, the second
// is a replay.
func Example() {
	s, err := newServer(config{Window: 30 * time.Second})
	if err != nil {
		panic(err)
	}
	do := func(method, path, body string) (int, map[string]any) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
		var v map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &v)
		return rec.Code, v
	}
	_, code := do(http.MethodGet, "/api/code", "")
	scan := fmt.Sprintf(`{"code":%q}`, code["text"])
	status, reply := do(http.MethodPost, "/api/scan", scan)
	fmt.Println(status, reply["status"])
	status, reply = do(http.MethodPost, "/api/scan", scan)
	fmt.Println(status, reply["reason"])
	// Output:
	// 200 checked_in
	// 409 replayed
}

// TestQRVersions: the codes fit QR versions small enough for qrSize pixels to give every
// module at least 4 pixels (version 10: 57 modules and the 8-module quiet zone).
func TestQRVersions(t *testing.T) {
	f := newFixture(t)
	venue := f.getQR("/api/venue").Text
	for name, text := range map[string]string{
		"person's code": f.getQR("/api/code").Text,
		"venue":         venue,
		"check-in":      f.checkIn(venue, f.cfg.Person),
	} {
		v, err := qrtoken.Version(text, qrtoken.RecoveryM)
		if err != nil {
			t.Fatal(err)
		}
		if modules := 17 + 4*v + 8; qrSize/modules < 4 {
			t.Errorf("%s needs version %d: %d px per module", name, v, qrSize/modules)
		}
	}
}

// BenchmarkScan: the terminal's scan endpoint end to end, a fresh code each time (issuing
// it is part of the measured work).
func BenchmarkScan(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		body := `{"code":"` + f.issue(f.cfg.Person, qrtoken.PurposeInternetCafe()) + `"}`
		if status, _ := f.do(http.MethodPost, "/api/scan", body); status != http.StatusOK {
			b.Fatal(status)
		}
	}
}

// BenchmarkCode: the person page's poll of its current code (cached within a window).
func BenchmarkCode(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if status, _ := f.do(http.MethodGet, "/api/code", ""); status != http.StatusOK {
			b.Fatal(status)
		}
	}
}
