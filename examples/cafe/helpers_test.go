package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify/idcard"
)

// start is the fixed time handler tests begin at, a little into a window.
var start = time.Date(2026, 11, 23, 10, 0, 5, 0, time.UTC)

// clock is a settable clock shared by the server and the test's own issuers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// lockedBuffer collects log output written from handler goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// synthetic returns a made-up person born on birth; the ID number comes from
// idcard.Generate with crypto/rand (a random current region, sequence code 900-999).
func synthetic(t testing.TB, name string, birth time.Time) person {
	t.Helper()
	id, err := idcard.Generate(rand.Reader, idcard.GenOptions{Birth: birth})
	if err != nil {
		t.Fatal(err)
	}
	return person{Name: name, IDNumber: id}
}

// fixture is a cafe server on a fixed clock, plus a second wallet (an issuer holding the
// same key) for people other than the server's own.
type fixture struct {
	t      testing.TB
	srv    *server
	clock  *clock
	cfg    config
	logs   *lockedBuffer
	wallet *qrtoken.Issuer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clk := &clock{t: start}
	logs := &lockedBuffer{}
	_, venueKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config{
		Window:     time.Minute,
		Person:     synthetic(t, "测试样例", time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)),
		Key:        qrtoken.SecretKey{ID: 7, Secret: bytes.Repeat([]byte{0x5A}, 32)},
		VenueKey:   qrtoken.VenueKey{ID: 3, Key: venueKey},
		VenueID:    4242,
		TerminalID: 9,
		Now:        clk.Now,
		Logger:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	srv, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wallet, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &cfg.Key, Window: cfg.Window, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, srv: srv, clock: clk, cfg: cfg, logs: logs, wallet: wallet}
}

// do sends a request to the handler and returns the status and the raw body.
func (f *fixture) do(method, path, body string) (int, []byte) {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// post sends v as JSON and returns the status and the decoded reply.
func (f *fixture) post(path string, v any) (int, reply) {
	f.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		f.t.Fatal(err)
	}
	status, body := f.do(http.MethodPost, path, string(b))
	return status, decodeReply(f.t, body)
}

// getQR fetches a code or challenge.
func (f *fixture) getQR(path string) qrJSON {
	f.t.Helper()
	status, body := f.do(http.MethodGet, path, "")
	if status != http.StatusOK {
		f.t.Fatalf("GET %s: status %d: %s", path, status, body)
	}
	var q qrJSON
	if err := json.Unmarshal(body, &q); err != nil {
		f.t.Fatalf("GET %s: %v", path, err)
	}
	return q
}

// issue returns a code for p from the test's wallet.
func (f *fixture) issue(p person, purpose qrtoken.Purpose) string {
	f.t.Helper()
	claims := qrtoken.Claims{Name: p.Name, IDNumber: p.IDNumber}
	if purpose.Claims.Has(qrtoken.ClaimTicket) {
		claims.EventID, claims.Ticket = 1, "A-12"
	}
	c, err := f.wallet.Issue(context.Background(), claims, purpose)
	if err != nil {
		f.t.Fatal(err)
	}
	return c.Text()
}

// checkIn answers the challenge text for p from the test's wallet.
func (f *fixture) checkIn(challenge string, p person) string {
	f.t.Helper()
	c, err := f.wallet.IssueCheckIn(context.Background(), challenge, qrtoken.Claims{Name: p.Name, IDNumber: p.IDNumber}, qrtoken.PurposeInternetCafe())
	if err != nil {
		f.t.Fatal(err)
	}
	return c.Text()
}

// reply is the union of the JSON answers of the POST endpoints.
type reply struct {
	Status  string   `json:"status"`
	CheckIn *checkIn `json:"checkIn"`
	Reason  string   `json:"reason"`
	Message string   `json:"message"`
	Text    string   `json:"checkin"`
}

func decodeReply(t testing.TB, body []byte) reply {
	t.Helper()
	var r reply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("reply is not JSON: %v: %q", err, body)
	}
	return r
}
