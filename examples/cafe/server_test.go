package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/qrtoken"
)

// TestCodeEndpoint: the person's code opens at an independent reader holding the cafe's
// key, carries the person's claims, is stable within a window and replaced after it.
func TestCodeEndpoint(t *testing.T) {
	f := newFixture(t)
	q := f.getQR("/api/code")

	reader, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:     []qrtoken.SecretKey{f.cfg.Key},
		Now:      f.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := reader.Open(context.Background(), q.Text)
	if err != nil {
		t.Fatalf("Open(code from /api/code): %v", err)
	}
	type got struct {
		Name, IDNumber string
		Over18         bool
		Purpose        uint8
		WindowEnd      time.Time
	}
	over, _ := o.Claims.IsOver(18)
	windowEnd := start.Truncate(time.Minute).Add(time.Minute)
	want := got{f.cfg.Person.Name, f.cfg.Person.IDNumber, true, qrtoken.PurposeInternetCafe().ID, windowEnd}
	if diff := cmp.Diff(want, got{o.Claims.Name, o.Claims.IDNumber, over, o.Purpose.ID, o.Window.End}); diff != "" {
		t.Errorf("opened code mismatch (-want +got):\n%s", diff)
	}
	if !q.Expires.Equal(windowEnd) || q.ExpiresInMs != windowEnd.Sub(start).Milliseconds() {
		t.Errorf("expires = %v (in %d ms), want %v (in %d ms)", q.Expires, q.ExpiresInMs, windowEnd, windowEnd.Sub(start).Milliseconds())
	}

	// The PNG is the QR symbol at the promised size.
	b64, ok := strings.CutPrefix(q.PNG, "data:image/png;base64,")
	if !ok {
		t.Fatalf("png is not a PNG data URL: %.40q", q.PNG)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != qrSize || b.Dy() != qrSize {
		t.Errorf("PNG is %v, want %dx%d", b, qrSize, qrSize)
	}

	f.clock.Advance(30 * time.Second)
	if again := f.getQR("/api/code"); again.Text != q.Text {
		t.Error("the code changed within its window")
	}
	f.clock.Advance(30 * time.Second) // now at the next window's start
	next := f.getQR("/api/code")
	if next.Text == q.Text || !next.Expires.Equal(windowEnd.Add(time.Minute)) {
		t.Errorf("after the window: same code %v, expires %v; want a new code expiring %v", next.Text == q.Text, next.Expires, windowEnd.Add(time.Minute))
	}
}

// TestScan: the terminal scanning codes, each case on a fresh server.
func TestScan(t *testing.T) {
	adult := synthetic(t, "样例甲", time.Date(1985, 1, 2, 0, 0, 0, 0, time.UTC))
	// Turns 18 one day after the test's clock: a minor on the day of issue.
	minor := synthetic(t, "样例乙", start.AddDate(-18, 0, 1))
	justAdult := synthetic(t, "样例丙", time.Date(2008, 11, 23, 0, 0, 0, 0, time.UTC))

	otherKey := qrtoken.SecretKey{ID: 8, Secret: bytes.Repeat([]byte{0x33}, 32)}
	sameIDOtherSecret := qrtoken.SecretKey{ID: 7, Secret: bytes.Repeat([]byte{0x34}, 32)}
	issueWith := func(t *testing.T, f *fixture, key qrtoken.SecretKey) string {
		is, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &key, Window: f.cfg.Window, Now: f.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		c, err := is.Issue(context.Background(), qrtoken.Claims{Name: adult.Name, IDNumber: adult.IDNumber}, qrtoken.PurposeInternetCafe())
		if err != nil {
			t.Fatal(err)
		}
		return c.Text()
	}

	tests := []struct {
		name string
		code func(t *testing.T, f *fixture) string
		// Each scan in order: want status and reason ("" for a check-in).
		want []result
	}{
		{"own code", func(t *testing.T, f *fixture) string { return f.getQR("/api/code").Text },
			[]result{{200, ""}}},
		{"replayed", func(t *testing.T, f *fixture) string { return f.issue(adult, qrtoken.PurposeInternetCafe()) },
			[]result{{200, ""}, {409, "replayed"}, {409, "replayed"}}},
		{"18th birthday today", func(t *testing.T, f *fixture) string { return f.issue(justAdult, qrtoken.PurposeInternetCafe()) },
			[]result{{200, ""}}},
		{"minor", func(t *testing.T, f *fixture) string { return f.issue(minor, qrtoken.PurposeInternetCafe()) },
			[]result{{403, "under_age"}, {403, "under_age"}}}, // refused before the replay guard: not used up
		{"other purpose", func(t *testing.T, f *fixture) string { return f.issue(adult, qrtoken.PurposeStadiumGate()) },
			[]result{{403, "wrong_purpose"}}},
		{"government counter purpose", func(t *testing.T, f *fixture) string {
			c, err := f.wallet.Issue(context.Background(), qrtoken.Claims{Name: adult.Name, IDNumber: adult.IDNumber, Address: "示例路1号"}, qrtoken.PurposeGovernmentCounter())
			if err != nil {
				t.Fatal(err)
			}
			return c.Text()
		}, []result{{403, "wrong_purpose"}}},
		{"unknown key", func(t *testing.T, f *fixture) string { return issueWith(t, f, otherKey) },
			[]result{{403, "unknown_key"}}},
		{"wrong secret", func(t *testing.T, f *fixture) string { return issueWith(t, f, sameIDOtherSecret) },
			[]result{{403, "not_authentic"}}},
		{"expired: a screenshot after two windows", func(t *testing.T, f *fixture) string {
			c := f.issue(adult, qrtoken.PurposeInternetCafe())
			f.clock.Advance(2 * time.Minute)
			return c
		}, []result{{403, "expired"}}},
		{"previous window still accepted", func(t *testing.T, f *fixture) string {
			c := f.issue(adult, qrtoken.PurposeInternetCafe())
			f.clock.Advance(time.Minute)
			return c
		}, []result{{200, ""}}},
		{"issuer clock ahead", func(t *testing.T, f *fixture) string {
			f.clock.Advance(time.Minute)
			c := f.issue(adult, qrtoken.PurposeInternetCafe())
			f.clock.Advance(-time.Minute)
			return c
		}, []result{{403, "not_yet_valid"}}},
		{"venue challenge given as a code", func(t *testing.T, f *fixture) string { return f.getQR("/api/venue").Text },
			[]result{{400, "wrong_mode"}}},
		{"check-in given as a code", func(t *testing.T, f *fixture) string { return f.checkIn(f.getQR("/api/venue").Text, adult) },
			[]result{{400, "wrong_mode"}}},
		{"tampered", func(t *testing.T, f *fixture) string {
			c := []byte(f.issue(adult, qrtoken.PurposeInternetCafe()))
			c[len(c)-2] = flipBase45(c[len(c)-2])
			return string(c)
		}, []result{{403, "not_authentic"}}},
		{"truncated", func(t *testing.T, f *fixture) string {
			c := f.issue(adult, qrtoken.PurposeInternetCafe())
			return c[:12]
		}, []result{{400, "malformed"}}},
		{"not base45", func(t *testing.T, f *fixture) string { return "hello, world" },
			[]result{{400, "malformed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			code := tt.code(t, f)
			var got []result
			for range tt.want {
				status, r := f.post("/api/scan", map[string]string{"code": code})
				got = append(got, result{status, r.Reason})
				if status == 200 && (r.Status != "checked_in" || r.CheckIn == nil || r.CheckIn.Flow != "scan") {
					t.Errorf("accepted scan reply = %+v", r)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("POST /api/scan mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// result is an HTTP status and the reason of an error reply.
type result struct {
	Status int
	Reason string
}

// flipBase45 changes a base45 character into another valid one.
func flipBase45(c byte) byte {
	if c == '0' {
		return '1'
	}
	return '0'
}

// TestScanConcurrentReplay: of many terminals scanning one code at once, exactly one
// checks the person in.
func TestScanConcurrentReplay(t *testing.T) {
	f := newFixture(t)
	body, _ := json.Marshal(map[string]string{"code": f.getQR("/api/code").Text})
	const n = 16
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			status, _ := f.do(http.MethodPost, "/api/scan", string(body))
			statuses <- status
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if diff := cmp.Diff(map[int]int{200: 1, 409: n - 1}, count); diff != "" {
		t.Errorf("statuses of %d concurrent scans mismatch (-want +got):\n%s", n, diff)
	}
}

// TestReverseFlow: the wallet answers the terminal's challenge; the check-in is accepted
// once, the challenge checks in one person once, and an expired or foreign challenge is
// refused.
func TestReverseFlow(t *testing.T) {
	other := synthetic(t, "样例丁", time.Date(1979, 3, 4, 0, 0, 0, 0, time.UTC))
	minor := synthetic(t, "样例戊", start.AddDate(-12, 0, 0))

	t.Run("wallet endpoint, once", func(t *testing.T) {
		f := newFixture(t)
		challenge := f.getQR("/api/venue")
		status, w := f.post("/api/wallet/checkin", map[string]string{"challenge": challenge.Text})
		if status != 200 || w.Text == "" {
			t.Fatalf("POST /api/wallet/checkin: %d %+v", status, w)
		}
		status, r := f.post("/api/checkin", map[string]string{"checkin": w.Text})
		want := &checkIn{Name: "测***", IDNumber: maskID(f.cfg.Person.IDNumber), Flow: "venue", At: start}
		if status != 200 || r.Status != "checked_in" {
			t.Fatalf("POST /api/checkin: %d %+v", status, r)
		}
		if diff := cmp.Diff(want, r.CheckIn); diff != "" {
			t.Errorf("check-in mismatch (-want +got):\n%s", diff)
		}
		if status, r := f.post("/api/checkin", map[string]string{"checkin": w.Text}); status != 409 || r.Reason != "replayed" {
			t.Errorf("same check-in again: %d %q, want 409 replayed", status, r.Reason)
		}
		if f.getQR("/api/venue").Text == challenge.Text {
			t.Error("the terminal still shows the answered challenge")
		}
	})

	tests := []struct {
		name string
		// checkins returns the check-in texts to post in order.
		checkins func(t *testing.T, f *fixture) []string
		want     []result
	}{
		{"challenge answered by two people", func(t *testing.T, f *fixture) []string {
			c := f.getQR("/api/venue").Text
			return []string{f.checkIn(c, f.cfg.Person), f.checkIn(c, other)}
		}, []result{{200, ""}, {409, "replayed"}}},
		{"challenge answered twice by one person", func(t *testing.T, f *fixture) []string {
			c := f.getQR("/api/venue").Text
			return []string{f.checkIn(c, other), f.checkIn(c, other)}
		}, []result{{200, ""}, {409, "replayed"}}},
		{"expired challenge", func(t *testing.T, f *fixture) []string {
			c := f.getQR("/api/venue")
			ci := f.checkIn(c.Text, other)
			vc, err := qrtoken.ParseVenueChallenge(c.Text)
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(vc.Expires.Sub(f.clock.Now()))
			return []string{ci}
		}, []result{{403, "expired"}}},
		{"challenge replaced on screen but not expired", func(t *testing.T, f *fixture) []string {
			c := f.getQR("/api/venue").Text
			f.clock.Advance(f.cfg.Window + time.Second)
			if f.getQR("/api/venue").Text == c {
				t.Error("challenge not replaced after a window")
			}
			return []string{f.checkIn(c, other)}
		}, []result{{200, ""}}},
		{"minor", func(t *testing.T, f *fixture) []string {
			return []string{f.checkIn(f.getQR("/api/venue").Text, minor)}
		}, []result{{403, "under_age"}}},
		{"challenge of an unknown venue", func(t *testing.T, f *fixture) []string {
			return []string{f.checkIn(foreignChallenge(t, f, f.cfg.VenueID+1, f.cfg.VenueKey.ID), other)}
		}, []result{{403, "unknown_key"}}},
		{"forged challenge: right venue and key ID, wrong key", func(t *testing.T, f *fixture) []string {
			return []string{f.checkIn(foreignChallenge(t, f, f.cfg.VenueID, f.cfg.VenueKey.ID), other)}
		}, []result{{403, "not_authentic"}}},
		{"identity code given as a check-in", func(t *testing.T, f *fixture) []string {
			return []string{f.getQR("/api/code").Text}
		}, []result{{400, "wrong_mode"}}},
		{"challenge swapped under a check-in", func(t *testing.T, f *fixture) []string {
			a := f.getQR("/api/venue").Text
			ci := f.checkIn(a, other)
			f.clock.Advance(f.cfg.Window + time.Second)
			b := f.getQR("/api/venue").Text
			// The identity part of ci followed by challenge b: the code's authentication
			// covers a, not b.
			return []string{swapChallenge(t, ci, a, b)}
		}, []result{{403, "not_authentic"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			var got []result
			for _, ci := range tt.checkins(t, f) {
				status, r := f.post("/api/checkin", map[string]string{"checkin": ci})
				got = append(got, result{status, r.Reason})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("POST /api/checkin mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("wallet refuses an expired challenge", func(t *testing.T) {
		f := newFixture(t)
		c := f.getQR("/api/venue").Text
		f.clock.Advance(3 * f.cfg.Window)
		if status, r := f.post("/api/wallet/checkin", map[string]string{"challenge": c}); status != 403 || r.Reason != "expired" {
			t.Errorf("POST /api/wallet/checkin with an expired challenge: %d %q, want 403 expired", status, r.Reason)
		}
	})
}

// foreignChallenge is a challenge signed by a key the cafe does not hold.
func foreignChallenge(t *testing.T, f *fixture, venueID uint32, keyID uint8) string {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	v, err := qrtoken.NewVenue(qrtoken.VenueConfig{Key: qrtoken.VenueKey{ID: keyID, Key: priv}, VenueID: venueID, TerminalID: 1, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Challenge(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c.Text()
}

// swapChallenge replaces the trailing challenge old of a check-in by repl, in binary.
func swapChallenge(t *testing.T, checkin, old, repl string) string {
	t.Helper()
	ci, err1 := qrtoken.DecodeBase45(checkin)
	o, err2 := qrtoken.DecodeBase45(old)
	r, err3 := qrtoken.DecodeBase45(repl)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	id, ok := bytes.CutSuffix(ci, o)
	if !ok || len(o) != len(r) {
		t.Fatal("check-in does not end with its challenge")
	}
	return qrtoken.EncodeBase45(append(id, r...))
}

// TestMalformed: bad requests get a JSON error with a reason, never a panic or a 500.
func TestMalformed(t *testing.T) {
	tests := []struct {
		method, path, body string
		want               result
	}{
		{"POST", "/api/scan", "", result{400, "bad_request"}},
		{"POST", "/api/scan", "not json", result{400, "bad_request"}},
		{"POST", "/api/scan", "{}", result{400, "bad_request"}},
		{"POST", "/api/scan", "null", result{400, "bad_request"}},
		{"POST", "/api/scan", "[]", result{400, "bad_request"}},
		{"POST", "/api/scan", `{"code":""}`, result{400, "bad_request"}},
		{"POST", "/api/scan", `{"code":42}`, result{400, "bad_request"}},
		{"POST", "/api/scan", `{"code":"A","extra":1}`, result{400, "bad_request"}},
		{"POST", "/api/scan", `{"code":"ABC"} {}`, result{400, "bad_request"}},
		{"POST", "/api/scan", `{"code":"ABC"}}`, result{400, "bad_request"}},
		{"POST", "/api/scan", `{"code":"` + strings.Repeat("A", maxBody) + `"}`, result{413, "too_large"}},
		{"POST", "/api/scan", `{"code":"ABC"}`, result{400, "wrong_suite"}},                                               // bytes 60 E5: suite 6
		{"POST", "/api/scan", `{"code":"00"}`, result{400, "unsupported_version"}},                                        // one zero byte: version 0
		{"POST", "/api/scan", `{"code":"` + qrtoken.EncodeBase45([]byte{0x11}) + `"}`, result{400, "malformed"}},          // version 1, online, nothing else
		{"POST", "/api/scan", `{"code":"` + qrtoken.EncodeBase45([]byte{0x1F, 1, 2, 3}) + `"}`, result{400, "malformed"}}, // unknown kind
		{"POST", "/api/scan", `{"code":"GGW"}`, result{400, "malformed"}},                                                 // 3 chars over 65535
		{"POST", "/api/scan", `{"code":"\u0000\uffff"}`, result{400, "malformed"}},
		{"POST", "/api/checkin", `{"checkin":"ABC"}`, result{400, "wrong_suite"}},
		{"POST", "/api/checkin", `{"checkin":"` + qrtoken.EncodeBase45([]byte{0x14, 1, 2}) + `"}`, result{400, "malformed"}}, // a check-in, too short
		{"POST", "/api/checkin", `{"code":"ABC"}`, result{400, "bad_request"}},
		{"POST", "/api/checkin", `{"checkin":""}`, result{400, "bad_request"}},
		{"POST", "/api/wallet/checkin", `{"challenge":"ABC"}`, result{400, "malformed"}},
		{"POST", "/api/wallet/checkin", `{}`, result{400, "bad_request"}},
		{"GET", "/api/scan", "", result{405, "method_not_allowed"}},
		{"POST", "/api/code", "{}", result{405, "method_not_allowed"}},
		{"DELETE", "/", "", result{405, "method_not_allowed"}},
		{"GET", "/nope", "", result{404, "not_found"}},
		{"GET", "/api/", "", result{404, "not_found"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %.30s", tt.method, tt.path, tt.body), func(t *testing.T) {
			f := newFixture(t)
			status, body := f.do(tt.method, tt.path, tt.body)
			r := decodeReply(t, body)
			if diff := cmp.Diff(tt.want, result{status, r.Reason}); diff != "" {
				t.Errorf("%s %s %.40q mismatch (-want +got):\n%s", tt.method, tt.path, tt.body, diff)
			}
			if r.Message == "" {
				t.Error("error reply without a message")
			}
		})
	}
}

// TestNoPersonalDataExposed: logs, the terminal's list and every reply show the person
// masked; logs never hold a code's text.
func TestNoPersonalDataExposed(t *testing.T) {
	f := newFixture(t)
	p := f.cfg.Person
	code := f.getQR("/api/code").Text
	var replies []string
	for _, path := range []string{"/api/scan", "/api/scan"} {
		_, body := f.do(http.MethodPost, path, `{"code":"`+code+`"}`)
		replies = append(replies, string(body))
	}
	minor := synthetic(t, "样例未成年", start.AddDate(-10, 0, 0))
	_, body := f.do(http.MethodPost, "/api/scan", `{"code":"`+f.issue(minor, qrtoken.PurposeInternetCafe())+`"}`)
	replies = append(replies, string(body))
	ci := f.checkIn(f.getQR("/api/venue").Text, p)
	_, body = f.do(http.MethodPost, "/api/checkin", `{"checkin":"`+ci+`"}`)
	replies = append(replies, string(body))
	_, body = f.do(http.MethodGet, "/api/terminal", "")
	replies = append(replies, string(body))

	var list struct{ CheckIns []checkIn }
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.CheckIns) != 2 {
		t.Errorf("terminal lists %d check-ins, want 2", len(list.CheckIns))
	}
	for i, r := range replies {
		for _, secret := range []string{p.Name, p.IDNumber, minor.Name, minor.IDNumber, p.IDNumber[6:14]} {
			if strings.Contains(r, secret) {
				t.Errorf("reply %d shows personal data: %s", i, r)
			}
		}
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "checked in") || !strings.Contains(logs, "under_age") {
		t.Errorf("logs lack the check-ins: %s", logs)
	}
	for _, secret := range []string{p.Name, p.IDNumber, minor.Name, minor.IDNumber, code, ci} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs show personal data or a code:\n%s", logs)
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, p); strings.Contains(s, p.IDNumber) || strings.Contains(s, p.Name) {
			t.Errorf("Sprintf(%q, person) = %s: unmasked", verb, s)
		}
	}
}

// TestPages: both pages are served and hold the elements their scripts drive.
func TestPages(t *testing.T) {
	f := newFixture(t)
	for path, want := range map[string]string{"/": `id="qr"`, "/terminal": `id="venue"`} {
		status, body := f.do(http.MethodGet, path, "")
		if status != 200 || !strings.Contains(string(body), want) || !strings.Contains(string(body), "<script>") {
			t.Errorf("GET %s: %d, want 200 with %s", path, status, want)
		}
	}
}

// TestConfig: newServer fills the synthetic defaults and rejects a bad configuration.
func TestConfig(t *testing.T) {
	s, err := newServer(config{})
	if err != nil {
		t.Fatal(err)
	}
	if s.cfg.Person.Name != syntheticName || len(s.cfg.Person.IDNumber) != 18 || s.cfg.Window != time.Minute {
		t.Errorf("defaults: %v window %v", s.cfg.Person, s.cfg.Window)
	}
	for name, cfg := range map[string]config{
		"window not whole seconds": {Window: 1500 * time.Millisecond},
		"bad ID number":            {Person: person{Name: "样例", IDNumber: "110105199001010000"}},
		"short key":                {Key: qrtoken.SecretKey{ID: 1, Secret: []byte("short")}},
	} {
		if _, err := newServer(cfg); err == nil {
			t.Errorf("newServer(%s) succeeded", name)
		}
	}
}

// FuzzAPI posts arbitrary bodies to the scan and check-in endpoints: never a panic, never
// a 500, always a JSON reply with a reason on refusal.
func FuzzAPI(f *testing.F) {
	fx := newFixture(f)
	code := fx.getQR("/api/code").Text
	ci := fx.checkIn(fx.getQR("/api/venue").Text, fx.cfg.Person)
	for _, s := range []string{"", "{}", `{"code":"` + code + `"}`, `{"checkin":"` + ci + `"}`, `{"code":"` + ci + `"}`,
		`{"checkin":"` + code + `"}`, `{"code":"ABC"}`, "null", `{"code":"\u00ff"}`} {
		f.Add(false, s)
		f.Add(true, s)
	}
	f.Fuzz(func(t *testing.T, reverse bool, body string) {
		fx.t = t
		path := "/api/scan"
		if reverse {
			path = "/api/checkin"
		}
		status, out := fx.do(http.MethodPost, path, body)
		var r reply
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("reply is not JSON: %q", out)
		}
		if status >= 500 || (status != 200 && r.Reason == "") || (status == 200 && r.Status != "checked_in") {
			t.Fatalf("POST %s %q: %d %s", path, body, status, out)
		}
	})
}

// TestCheckInListBounded: the terminal keeps the most recent maxCheckIns entries.
func TestCheckInListBounded(t *testing.T) {
	f := newFixture(t)
	for i := range maxCheckIns + 5 {
		f.clock.Advance(time.Millisecond)
		if status, r := f.post("/api/scan", map[string]string{"code": f.issue(f.cfg.Person, qrtoken.PurposeInternetCafe())}); status != 200 {
			t.Fatalf("scan %d: %d %+v", i, status, r)
		}
	}
	_, body := f.do(http.MethodGet, "/api/terminal", "")
	var list struct{ CheckIns []checkIn }
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.CheckIns) != maxCheckIns || !list.CheckIns[maxCheckIns-1].At.Equal(f.clock.Now()) {
		t.Errorf("list has %d entries, last at %v; want %d, last at %v", len(list.CheckIns), list.CheckIns[len(list.CheckIns)-1].At, maxCheckIns, f.clock.Now())
	}
}
