package livenesstest_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

func TestSimulatePassesDefaults(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for steps := 3; steps <= 16; steps++ {
		c, err := liveness.New(liveness.Config{
			Keys:       []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)}},
			Thresholds: []liveness.Threshold{{Backend: "b", ModelVersion: "m", MinScore: 0.5, FalseMatchRate: 1e-4}},
			Matcher:    livenesstest.FixedMatcher{Value: 0.9, Backend: "b", ModelVersion: "m"},
			Steps:      steps,
			Now:        func() time.Time { return now },
		})
		if err != nil {
			t.Fatal(err)
		}
		now = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
		consent, err := c.Consents().Record(context.Background(), liveness.Consent{Subject: "s",
			Purpose: liveness.PurposeBiometric, TextVersion: "v1", GivenAt: now})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := c.Begin(context.Background(), liveness.BeginRequest{Subject: "s", Device: "d", Consent: consent})
		if err != nil {
			t.Fatal(err)
		}
		obs := livenesstest.Simulate(ch, ch.IssuedAt.Add(-time.Hour)) // clamped to the issue time
		if len(obs) != steps || !obs[0].Start.Equal(ch.IssuedAt.Add(livenesstest.SimulatedReaction)) {
			t.Fatalf("Simulate: %d observations, first %v", len(obs), obs[0])
		}
		now = obs[len(obs)-1].End
		r, err := c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs})
		if err != nil || !r.Passed() {
			t.Errorf("%d steps: Finish = %v, %v", steps, r, err)
		}
	}
}

func TestFixedMatcherHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := livenesstest.FixedMatcher{Value: 0.9}
	if _, err := m.Match(ctx, "ref", "probe"); !errors.Is(err, context.Canceled) {
		t.Errorf("Match on cancelled context: %v", err)
	}
	if s, err := m.Match(context.Background(), "ref", "probe"); err != nil || s.Value != 0.9 {
		t.Errorf("Match = %v, %v", s, err)
	}
}

func TestMemoryConsentStore(t *testing.T) {
	livenesstest.RunConsentStore(t, func() liveness.ConsentStore { return liveness.NewMemoryConsentStore() })
}
