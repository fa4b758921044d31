package liveness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

// realPersonEvidence mirrors verify.RealPersonEvidence (contracts.md); liveness must not
// import verify, so the method set is checked here.
type realPersonEvidence interface {
	Subject() string
	LivenessPassed() bool
	FaceMatchPassed() bool
}

var _ realPersonEvidence = (*liveness.Result)(nil)

func TestNewValidation(t *testing.T) {
	base := func() liveness.Config {
		return liveness.Config{Keys: []store.Key{testKey(1, 1)}, Thresholds: []liveness.Threshold{testThreshold}}
	}
	three := liveness.DefaultActions()[:3]
	tests := []struct {
		name string
		mod  func(*liveness.Config)
		ok   bool
	}{
		{"defaults", func(*liveness.Config) {}, true},
		{"no keys", func(c *liveness.Config) { c.Keys = nil }, false},
		{"short key", func(c *liveness.Config) { c.Keys = []store.Key{{ID: 1, Secret: make([]byte, 31)}} }, false},
		{"duplicate key ID", func(c *liveness.Config) { c.Keys = append(c.Keys, testKey(1, 2)) }, false},
		{"no thresholds", func(c *liveness.Config) { c.Thresholds = nil }, false},
		{"duplicate threshold", func(c *liveness.Config) { c.Thresholds = append(c.Thresholds, testThreshold) }, false},
		{"threshold no model", func(c *liveness.Config) { c.Thresholds[0].ModelVersion = "" }, false},
		{"threshold FMR 0", func(c *liveness.Config) {
			c.Thresholds = []liveness.Threshold{{Backend: "a", ModelVersion: "1", MinScore: 0.5}}
		}, false},
		{"threshold NaN", func(c *liveness.Config) {
			c.Thresholds = []liveness.Threshold{{Backend: "a", ModelVersion: "1", MinScore: nan(), FalseMatchRate: 1e-4}}
		}, false},
		{"two thresholds", func(c *liveness.Config) {
			c.Thresholds = append(c.Thresholds, liveness.Threshold{Backend: "acme", ModelVersion: "v4", MinScore: 0.7, FalseMatchRate: 1e-5})
		}, true},
		{"steps 2", func(c *liveness.Config) { c.Steps = 2 }, false},
		{"steps 17", func(c *liveness.Config) { c.Steps = 17 }, false},
		{"steps 16 needs lifetime", func(c *liveness.Config) { c.Steps = 16 }, true},
		{"lifetime too short", func(c *liveness.Config) { c.Lifetime = 10 * time.Second }, false},
		{"lifetime too long", func(c *liveness.Config) { c.Lifetime = 2 * time.Hour }, false},
		{"three actions", func(c *liveness.Config) { c.Actions = three }, false},
		{"extended vocabulary", func(c *liveness.Config) {
			c.Actions = append(liveness.DefaultActions(), liveness.ActionSpec{Action: "raise_eyebrows", Window: 4 * time.Second, MinDuration: 150 * time.Millisecond})
		}, true},
		{"bad action name", func(c *liveness.Config) { c.Actions = liveness.DefaultActions(); c.Actions[0].Action = "Blink!" }, false},
		{"duplicate action", func(c *liveness.Config) {
			c.Actions = liveness.DefaultActions()
			c.Actions[1].Action = c.Actions[0].Action
		}, false},
		{"min duration zero", func(c *liveness.Config) { c.Actions = liveness.DefaultActions(); c.Actions[0].MinDuration = 0 }, false},
		{"min duration >= window", func(c *liveness.Config) {
			c.Actions = liveness.DefaultActions()
			c.Actions[0].MinDuration = c.Actions[0].Window
		}, false},
		{"negative start delay", func(c *liveness.Config) { c.StartDelay = -1 }, false},
		{"negative reaction", func(c *liveness.Config) { c.MinReaction = -1 }, false},
		{"confidence > 1", func(c *liveness.Config) { c.MinConfidence = 1.1 }, false},
		{"skew too large", func(c *liveness.Config) { c.MaxClockSkew = 6 * time.Second }, false},
		{"bad attempts", func(c *liveness.Config) { c.Attempts = store.AttemptRule{Limit: 0, Window: time.Minute} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base()
			tt.mod(&cfg)
			_, err := liveness.New(cfg)
			if (err == nil) != tt.ok {
				t.Errorf("New() error = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func nan() float64 { z := 0.0; return z / z }

func TestBeginShape(t *testing.T) {
	e := newEnv(t, func(c *liveness.Config) { c.Steps = 5 })
	ch := e.begin("subj-A", "dev-A")
	if len(ch.Steps) != 5 {
		t.Fatalf("got %d steps, want 5", len(ch.Steps))
	}
	if len(ch.SessionID) != 32 {
		t.Errorf("SessionID %q: want 128 bits in hex", ch.SessionID)
	}
	if !ch.IssuedAt.Equal(t0) || !ch.Expires.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("IssuedAt, Expires = %v, %v", ch.IssuedAt, ch.Expires)
	}
	windows := map[liveness.Action]liveness.ActionSpec{}
	for _, s := range liveness.DefaultActions() {
		windows[s.Action] = s
	}
	deadline := t0.Add(3 * time.Second) // default StartDelay
	for i, s := range ch.Steps {
		spec, ok := windows[s.Action]
		if !ok {
			t.Fatalf("step %d: action %q not in vocabulary", i, s.Action)
		}
		deadline = deadline.Add(spec.Window)
		if !s.Deadline.Equal(deadline) || s.MinDuration != spec.MinDuration {
			t.Errorf("step %d = %+v, want deadline %v min %v", i, s, deadline, spec.MinDuration)
		}
		if i > 0 && s.Action == ch.Steps[i-1].Action {
			t.Errorf("step %d repeats %q", i, s.Action)
		}
	}
}

func TestPassAndViews(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.begin("subj-A", "dev-A")
	r, err := e.finishSimulated(ch)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if r.Outcome != liveness.OutcomePass || len(r.Reasons) != 0 || !r.LivenessPassed() || !r.FaceMatchPassed() || !r.Passed() {
		t.Fatalf("result = %v %v, want pass", r.Outcome, r.Reasons)
	}
	if r.Subject() != "subj-A" {
		t.Errorf("Subject() = %q", r.Subject())
	}
	a := r.Audit
	if a.SessionID != ch.SessionID || a.KeyID != 1 || a.Device != "dev-A" || len(a.Observations) != 3 ||
		a.Score == nil || a.Threshold == nil || *a.Threshold != testThreshold || a.NonceHash == "" {
		t.Errorf("audit = %+v", a)
	}
	if diff := cmp.Diff(ch.Steps, a.Steps); diff != "" {
		t.Errorf("audit steps mismatch (-want +got):\n%s", diff)
	}

	// The client sees the outcome only.
	got, _ := json.Marshal(r.Client())
	if diff := cmp.Diff(`{"outcome":"pass"}`, string(got)); diff != "" {
		t.Errorf("client result mismatch (-want +got):\n%s", diff)
	}
	// The client challenge carries prompts and deadlines, no binding, token or rules.
	cj, _ := json.Marshal(ch.Client())
	for _, secret := range []string{"subj-A", "dev-A", ch.Token, "min", "photo"} {
		if strings.Contains(strings.ToLower(string(cj)), strings.ToLower(secret)) {
			t.Errorf("client challenge %s contains %q", cj, secret)
		}
	}
	if len(ch.Client().Steps) != 3 {
		t.Errorf("client steps = %v", ch.Client().Steps)
	}
}

func TestMasking(t *testing.T) {
	const subject, device = "HMAC-subject-7f3a9c", "device-id-550e8400"
	e := newEnv(t, nil)
	ch, err := e.c.Begin(context.Background(), e.consented(liveness.BeginRequest{Subject: subject, Device: device, Reference: "registry-photo-123456"}))
	if err != nil {
		t.Fatal(err)
	}
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	e.clk.Set(obs[2].End.Add(time.Second))
	r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	log.Info("x", "result", r, "challenge", ch, "obs", obs[0], "audit", r.Audit)
	outputs := map[string]string{
		"result %v":    fmt.Sprint(r),
		"challenge %v": fmt.Sprint(ch),
		"obs %v":       fmt.Sprint(obs[0]),
		"audit %v":     fmt.Sprint(r.Audit),
		"ref %v":       fmt.Sprint(liveness.PhotoRef("registry-photo-123456"), liveness.ProbeRef("probe-frame-98765")),
		"slog":         logs.String(),
	}
	for name, out := range outputs {
		for _, secret := range []string{subject, device, ch.Token, "registry-photo-123456", "probe-frame-98765"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output %q reveals %q", name, out, secret)
			}
		}
	}
	if !strings.Contains(fmt.Sprint(r), "HM***************9c") {
		t.Errorf("result %v: want masked subject HM***************9c", r)
	}
}

func TestErrorType(t *testing.T) {
	retry := t0.Add(time.Hour)
	err := fmt.Errorf("wrapped: %w", &liveness.Error{Reason: liveness.ReasonLockedOut, Err: &store.LockedOutError{RetryAt: retry}})
	if !errors.Is(err, store.ErrLockedOut) || errors.Is(err, store.ErrReplayed) {
		t.Errorf("errors.Is mismatch for %v", err)
	}
	var le *store.LockedOutError
	if !errors.As(err, &le) || !le.RetryAt.Equal(retry) {
		t.Errorf("errors.As: %v", err)
	}
	host := errors.New("redis down")
	err = &liveness.Error{Reason: liveness.ReasonUnavailable, Err: host}
	if !errors.Is(err, liveness.ErrUnavailable) || !errors.Is(err, host) {
		t.Errorf("errors.Is unavailable/host: %v", err)
	}
}

func TestBeginInvalidRequest(t *testing.T) {
	e := newEnv(t, nil)
	long := strings.Repeat("x", 256)
	for _, req := range []liveness.BeginRequest{
		{Device: "d"}, {Subject: "s"}, {Subject: long, Device: "d"}, {Subject: "s", Device: long},
		{Subject: "s", Device: "d", Reference: liveness.PhotoRef(long)},
	} {
		if _, err := e.c.Begin(context.Background(), req); !errors.Is(err, liveness.ErrInvalidArgument) {
			t.Errorf("Begin(%d/%d/%d bytes) error = %v, want ErrInvalidArgument", len(req.Subject), len(req.Device), len(req.Reference), err)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	old := newEnv(t, func(c *liveness.Config) { c.Keys = []store.Key{testKey(7, 0x07)} })
	ch := old.begin("subj-A", "dev-A")
	rotated := newEnv(t, func(c *liveness.Config) {
		c.Keys = []store.Key{testKey(8, 0x08), testKey(7, 0x07)}
		c.Consents = old.cfg.Consents
	})
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	rotated.clk.Set(obs[2].End.Add(time.Second))
	r, err := rotated.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
	if err != nil || r.Outcome != liveness.OutcomePass || r.Audit.KeyID != 7 {
		t.Fatalf("Finish under rotated keys = %v, %v; want pass with key 7", r, err)
	}
	// New sessions are sealed under the new key, which the old challenger cannot open.
	ch2 := rotated.begin("subj-B", "dev-B")
	old.clk.Set(rotated.clk.Now())
	if _, err := old.c.Finish(context.Background(), liveness.FinishRequest{Token: ch2.Token}); !errors.Is(err, liveness.ErrNotAuthentic) {
		t.Errorf("old challenger opened new-key token: %v", err)
	}
}
