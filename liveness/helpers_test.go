package liveness_test

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

// t0 is the fixed start of every test clock.
var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// testKey returns a deterministic 32-byte key; tests only.
func testKey(id uint32, fill byte) store.Key {
	return store.Key{ID: id, Secret: bytes.Repeat([]byte{fill}, 32)}
}

var testThreshold = liveness.Threshold{Backend: "acme", ModelVersion: "v3", MinScore: 0.62, FalseMatchRate: 1e-5}

func goodScore() *liveness.Score {
	return &liveness.Score{Value: 0.91, Backend: "acme", ModelVersion: "v3"}
}

type env struct {
	t   testing.TB
	c   *liveness.Challenger
	clk *clock
	cfg liveness.Config
	// lastConsent is the consent ID consented recorded last (a string; tests begin
	// sessions concurrently).
	lastConsent atomic.Value
}

// newEnv returns a challenger on a fixed clock at t0 with a fixed index key;
// mod may change the configuration first.
func newEnv(t testing.TB, mod func(*liveness.Config)) *env {
	t.Helper()
	clk := &clock{t: t0}
	cfg := liveness.Config{
		Keys:       []store.Key{testKey(1, 0xA5)},
		Thresholds: []liveness.Threshold{testThreshold},
		Now:        clk.Now,
		IndexKey:   bytes.Repeat([]byte{0x1D}, 32),
		Consents:   liveness.NewMemoryConsentStore(),
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := liveness.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &env{t: t, c: c, clk: clk, cfg: cfg}
}

func (e *env) begin(subject, device string) *liveness.Challenge {
	e.t.Helper()
	ch, err := e.c.Begin(context.Background(), e.consented(liveness.BeginRequest{Subject: subject, Device: device, Reference: "photo-0001"}))
	if err != nil {
		e.t.Fatalf("Begin(%s): %v", subject, err)
	}
	return ch
}

// finishSimulated finishes ch with simulated observations and a passing score, at the
// time the last observation ends plus one second.
func (e *env) finishSimulated(ch *liveness.Challenge) (*liveness.Result, error) {
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	e.clk.Set(obs[len(obs)-1].End.Add(time.Second))
	return e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
}

// withToken returns req for the session token tok.
func withToken(req liveness.FinishRequest, tok string) liveness.FinishRequest {
	req.Token = tok
	return req
}

// consented records a biometric consent of req.Subject in the challenger's store and
// returns req carrying it.
func (e *env) consented(req liveness.BeginRequest) liveness.BeginRequest {
	e.t.Helper()
	id, err := e.c.Consents().Record(context.Background(), liveness.Consent{Subject: req.Subject,
		Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: e.clk.Now()})
	if err != nil {
		e.t.Fatalf("recording consent: %v", err)
	}
	req.Consent = id
	e.lastConsent.Store(id)
	return req
}
