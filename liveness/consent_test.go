package liveness_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

// TestBeginRequiresConsent: the real-person check does not begin without a recorded,
// unwithdrawn biometric consent of the same subject, and a refused Begin costs no attempt.
func TestBeginRequiresConsent(t *testing.T) {
	e := newEnv(t, func(c *liveness.Config) {
		c.Attempts = store.AttemptRule{Limit: 1, Window: time.Hour, Cooloff: time.Hour}
	})
	ctx := context.Background()
	record := func(c liveness.Consent) string {
		t.Helper()
		id, err := e.c.Consents().Record(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	base := liveness.Consent{Subject: "subj-A", Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: t0}
	otherSubject, otherPurpose, future, withdrawn := base, base, base, base
	otherSubject.Subject = "subj-B"
	otherPurpose.Purpose = "marketing"
	future.GivenAt = t0.Add(time.Minute)
	wid := record(withdrawn)
	if err := e.c.Consents().Withdraw(ctx, wid, t0); err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]string{
		"none":           "",
		"unknown":        "no-such-consent",
		"another person": record(otherSubject),
		"another use":    record(otherPurpose),
		"given later":    record(future),
		"withdrawn":      wid,
	} {
		_, err := e.c.Begin(ctx, liveness.BeginRequest{Subject: "subj-A", Device: "dev-A", Consent: id})
		if !errors.Is(err, liveness.ErrConsentRequired) {
			t.Errorf("Begin with consent %s: %v, want ErrConsentRequired", name, err)
		}
	}
	// None of the refusals counted an attempt: the one allowed attempt is still there.
	id := record(base)
	ch, err := e.c.Begin(ctx, liveness.BeginRequest{Subject: "subj-A", Device: "dev-A", Consent: id})
	if err != nil {
		t.Fatalf("Begin with consent: %v", err)
	}
	r, err := e.finishSimulated(ch)
	if err != nil || !r.Passed() || r.ConsentID() != id || r.Audit.Consent != id {
		t.Fatalf("Finish = %v, %v; consent %q, want pass under %q", r, err, r.ConsentID(), id)
	}
	// The consent survives a sealed hand-off.
	tok, err := e.c.SealResult(r)
	if err != nil {
		t.Fatal(err)
	}
	if opened, err := e.c.OpenResult(tok); err != nil || opened.ConsentID() != id {
		t.Errorf("OpenResult: consent %q, %v; want %q", opened.ConsentID(), err, id)
	}
}

// TestConsentWithdrawnBeforeFinish: a consent withdrawn during the session stops the
// processing of the face; the session is consumed.
func TestConsentWithdrawnBeforeFinish(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.begin("subj-A", "dev-A")
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	e.clk.Set(obs[len(obs)-1].End.Add(time.Second))
	id := e.lastConsent.Load().(string) // the consent begin recorded for this session
	if err := e.c.Consents().Withdraw(context.Background(), id, e.clk.Now().Add(-time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	req := liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()}
	if _, err := e.c.Finish(context.Background(), req); !errors.Is(err, liveness.ErrConsentRequired) {
		t.Fatalf("Finish after withdrawal: %v, want ErrConsentRequired", err)
	}
	if _, err := e.c.Finish(context.Background(), req); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("second Finish: %v, want store.ErrReplayed (consumed)", err)
	}
}
