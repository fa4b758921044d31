package liveness_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

// beginBound begins a session bound to dev's key.
func (e *env) beginBound(subject, deviceID string, dev *livenesstest.Device, attestation []byte) *liveness.Challenge {
	e.t.Helper()
	ch, err := e.c.Begin(context.Background(), e.consented(liveness.BeginRequest{Subject: subject, Device: deviceID,
		Reference: "photo-0001", DeviceKey: dev.PublicKey(), Attestation: attestation}))
	if err != nil {
		e.t.Fatalf("Begin: %v", err)
	}
	return ch
}

// finishBound finishes ch with simulated observations, the capture capture (nil: 30
// frames from dev) and risks, just after the last observation.
func (e *env) finishBound(ch *liveness.Challenge, obs []liveness.Observation, capture []liveness.CaptureEnvelope, risks ...liveness.DeviceRisk) *liveness.Result {
	e.t.Helper()
	e.clk.Set(obs[len(obs)-1].End.Add(time.Second))
	r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs,
		Score: goodScore(), Capture: capture, DeviceRisks: risks})
	if err != nil {
		e.t.Fatalf("Finish: %v", err)
	}
	return r
}

type outcomeWant struct {
	Outcome liveness.Outcome
	Reasons []liveness.Reason
}

func TestDeviceBoundSessionPasses(t *testing.T) {
	e := newEnv(t, nil)
	dev := livenesstest.NewDevice()
	ch := e.beginBound("subj-A", "dev-A", dev, nil)
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	r := e.finishBound(ch, obs, dev.Capture(ch, obs, 30))
	if !r.Passed() || r.Audit.Frames != 30 || r.Audit.DeviceKeyID == "" || r.Audit.Attested || r.NeedsReview() {
		t.Fatalf("Finish = %v (frames %d, key %q, attested %v)", r, r.Audit.Frames, r.Audit.DeviceKeyID, r.Audit.Attested)
	}
	// The binding survives a sealed hand-off.
	tok, err := e.c.SealResult(r)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := e.c.OpenResult(tok)
	if err != nil || opened.Audit.DeviceKeyID != r.Audit.DeviceKeyID || opened.Audit.Frames != 30 {
		t.Errorf("OpenResult: %v, %v", opened, err)
	}
}

// TestCaptureAttacks: injected or manipulated captures fail the session, whatever the
// observations say.
func TestCaptureAttacks(t *testing.T) {
	dev, other := livenesstest.NewDevice(), livenesstest.NewDevice()
	fail := func(rs ...liveness.Reason) outcomeWant { return outcomeWant{liveness.OutcomeFail, rs} }
	tests := []struct {
		name string
		// capture returns the envelopes to submit, given the genuine ones for this
		// session and a genuine capture of another session of the same person and device.
		capture func(genuine, recorded []liveness.CaptureEnvelope, ch *liveness.Challenge, obs []liveness.Observation) []liveness.CaptureEnvelope
		want    outcomeWant
	}{
		{"genuine", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			return g
		}, outcomeWant{liveness.OutcomePass, nil}},
		{"recorded capture replayed into another session", func(_, rec []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			return rec
		}, fail(liveness.ReasonCaptureForeign, liveness.ReasonCaptureTime)},
		{"frames swapped", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			g[3], g[4] = g[4], g[3]
			return g
		}, fail(liveness.ReasonCaptureSequence, liveness.ReasonCaptureTime)},
		{"frame dropped", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			return slices.Delete(g, 10, 11)
		}, fail(liveness.ReasonCaptureSequence)},
		{"last frames dropped", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			return g[:len(g)-1]
		}, fail(liveness.ReasonCaptureSequence)},
		{"frame duplicated", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			return slices.Insert(g, 5, g[5])
		}, fail(liveness.ReasonCaptureSequence, liveness.ReasonCaptureTime)},
		{"another device's key", func(g, _ []liveness.CaptureEnvelope, ch *liveness.Challenge, obs []liveness.Observation) []liveness.CaptureEnvelope {
			return other.Capture(ch, obs, 30)
		}, fail(liveness.ReasonCaptureSignature)},
		{"unsigned", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			for i := range g {
				g[i].Signature = nil
			}
			return g
		}, fail(liveness.ReasonCaptureSignature)},
		{"no capture at all", func(_, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			return nil
		}, fail(liveness.ReasonCaptureMissing)},
		{"frame content replaced", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			g[7].FrameHash[0] ^= 1
			return g
		}, fail(liveness.ReasonCaptureSignature, liveness.ReasonCaptureSequence)}, // the next link breaks too
		{"capture time moved", func(g, _ []liveness.CaptureEnvelope, _ *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			g[7].CapturedAt = g[7].CapturedAt.Add(time.Millisecond)
			return g
		}, fail(liveness.ReasonCaptureSignature, liveness.ReasonCaptureSequence)},
		{"frames before the session, signed by the device", func(g, _ []liveness.CaptureEnvelope, ch *liveness.Challenge, _ []liveness.Observation) []liveness.CaptureEnvelope {
			return dev.CaptureAt(ch.SessionID, []time.Time{ch.IssuedAt.Add(-time.Second), g[len(g)-1].CapturedAt})
		}, fail(liveness.ReasonCaptureTime)},
		{"frames covering only the first step", func(g, _ []liveness.CaptureEnvelope, ch *liveness.Challenge, obs []liveness.Observation) []liveness.CaptureEnvelope {
			return dev.CaptureAt(ch.SessionID, []time.Time{obs[0].Start, obs[0].End})
		}, fail(liveness.ReasonCaptureUncovered)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			// A genuine session of the same person on the same device, recorded.
			prior := e.beginBound("subj-A", "dev-A", dev, nil)
			priorObs := livenesstest.Simulate(prior, prior.IssuedAt)
			recorded := dev.Capture(prior, priorObs, 30)
			e.finishBound(prior, priorObs, recorded)

			ch := e.beginBound("subj-A", "dev-A", dev, nil)
			obs := livenesstest.Simulate(ch, ch.IssuedAt)
			r := e.finishBound(ch, obs, tt.capture(dev.Capture(ch, obs, 30), recorded, ch, obs))
			if diff := cmp.Diff(tt.want, outcomeWant{r.Outcome, r.Reasons}); diff != "" {
				t.Errorf("Finish mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeviceRiskPolicy(t *testing.T) {
	dev := livenesstest.NewDevice()
	tests := []struct {
		name   string
		risks  []liveness.DeviceRisk
		want   outcomeWant
		review bool
	}{
		{"none", nil, outcomeWant{liveness.OutcomePass, nil}, false},
		{"virtual camera", []liveness.DeviceRisk{liveness.RiskVirtualCamera}, outcomeWant{liveness.OutcomeFail, []liveness.Reason{liveness.ReasonDeviceRisk}}, false},
		{"emulator", []liveness.DeviceRisk{liveness.RiskEmulator}, outcomeWant{liveness.OutcomeFail, []liveness.Reason{liveness.ReasonDeviceRisk}}, false},
		{"unknown risk is refused", []liveness.DeviceRisk{"frida_gadget"}, outcomeWant{liveness.OutcomeFail, []liveness.Reason{liveness.ReasonDeviceRisk}}, false},
		{"rooted: pass, review", []liveness.DeviceRisk{liveness.RiskRooted}, outcomeWant{liveness.OutcomePass, nil}, true},
		{"screen recording and hooked", []liveness.DeviceRisk{liveness.RiskScreenRecording, liveness.RiskHooked}, outcomeWant{liveness.OutcomeFail, []liveness.Reason{liveness.ReasonDeviceRisk}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			ch := e.beginBound("subj-A", "dev-A", dev, nil)
			obs := livenesstest.Simulate(ch, ch.IssuedAt)
			r := e.finishBound(ch, obs, dev.Capture(ch, obs, 30), tt.risks...)
			if diff := cmp.Diff(tt.want, outcomeWant{r.Outcome, r.Reasons}); diff != "" || r.NeedsReview() != tt.review {
				t.Errorf("NeedsReview %v, want %v; Finish mismatch (-want +got):\n%s", r.NeedsReview(), tt.review, diff)
			}
			if len(r.Audit.Risks) != len(tt.risks) {
				t.Errorf("audit records %d risks, want %d", len(r.Audit.Risks), len(tt.risks))
			}
		})
	}
	// Risks are recorded for unbound sessions too.
	e := newEnv(t, nil)
	ch := e.begin("subj-A", "dev-A")
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	r := e.finishBound(ch, obs, nil, liveness.RiskVirtualCamera)
	if r.Outcome != liveness.OutcomeFail || !slices.Contains(r.Reasons, liveness.ReasonDeviceRisk) {
		t.Errorf("unbound session with a virtual camera: %v", r)
	}
}

func TestDeviceBindingRequiredAndAttestation(t *testing.T) {
	ctx := context.Background()
	attestor := livenesstest.TestAttestor{Secret: bytes.Repeat([]byte{9}, 32)}
	e := newEnv(t, func(c *liveness.Config) {
		c.RequireDeviceBinding, c.Attestation = true, attestor
		c.Attempts = store.AttemptRule{Limit: 100, Window: time.Hour} // device refusals cost attempts
	})
	dev, other := livenesstest.NewDevice(), livenesstest.NewDevice()
	refused := map[string]liveness.BeginRequest{
		"no key":                      {Subject: "subj-A", Device: "dev-A"},
		"key without attestation":     {Subject: "subj-A", Device: "dev-A", DeviceKey: dev.PublicKey()},
		"another key's attestation":   {Subject: "subj-A", Device: "dev-A", DeviceKey: dev.PublicKey(), Attestation: attestor.Attest(other.PublicKey())},
		"forged attestation":          {Subject: "subj-A", Device: "dev-A", DeviceKey: dev.PublicKey(), Attestation: livenesstest.TestAttestor{Secret: make([]byte, 32)}.Attest(dev.PublicKey())},
		"attested emulator":           {Subject: "subj-A", Device: "dev-A", DeviceKey: dev.PublicKey(), Attestation: attestor.Attest(dev.PublicKey(), liveness.RiskEmulator)},
		"attested virtual camera too": {Subject: "subj-A", Device: "dev-A", DeviceKey: dev.PublicKey(), Attestation: attestor.Attest(dev.PublicKey(), liveness.RiskRooted, liveness.RiskVirtualCamera)},
	}
	for name, req := range refused {
		if _, err := e.c.Begin(ctx, e.consented(req)); !errors.Is(err, liveness.ErrDeviceNotTrusted) {
			t.Errorf("Begin(%s) = %v, want ErrDeviceNotTrusted", name, err)
		}
	}
	if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "s", Device: "d", DeviceKey: ed25519.PublicKey(make([]byte, 31))})); !errors.Is(err, liveness.ErrInvalidArgument) {
		t.Errorf("Begin(short key) = %v, want ErrInvalidArgument", err)
	}

	e = newEnv(t, func(c *liveness.Config) { c.RequireDeviceBinding = true; c.Attestation = attestor })
	ch := e.beginBound("subj-A", "dev-A", dev, attestor.Attest(dev.PublicKey(), liveness.RiskRooted))
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	r := e.finishBound(ch, obs, dev.Capture(ch, obs, 30))
	want := []liveness.RiskFinding{{Risk: liveness.RiskRooted, Action: liveness.RiskReview, FromAttestation: true}}
	if diff := cmp.Diff(want, r.Audit.Risks); diff != "" || !r.Passed() || !r.Audit.Attested || !r.NeedsReview() {
		t.Errorf("attested rooted device: %v attested=%v review=%v; risks (-want +got):\n%s", r, r.Audit.Attested, r.NeedsReview(), diff)
	}
}

// TestUnboundSessionIgnoresCapture: without a key at Begin there is nothing to verify
// envelopes against; the audit says the session was not device-bound.
func TestUnboundSessionIgnoresCapture(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.begin("subj-A", "dev-A")
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	r := e.finishBound(ch, obs, livenesstest.NewDevice().Capture(ch, obs, 5))
	if !r.Passed() || r.Audit.DeviceKeyID != "" || r.Audit.Frames != 0 {
		t.Errorf("unbound session: %v key %q frames %d", r, r.Audit.DeviceKeyID, r.Audit.Frames)
	}
}
