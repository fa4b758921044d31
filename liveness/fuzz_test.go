package liveness_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
)

// forgetfulGuard lets every claim through, so that the one genuine token opens on every
// fuzz iteration. Fuzz and benchmark use only: it provides no single use.
type forgetfulGuard struct{}

func (forgetfulGuard) Claim(context.Context, string, time.Time, time.Time) (bool, error) {
	return true, nil
}

// FuzzFinishToken feeds arbitrary token text to Finish. Property: it never panics, and it
// returns an error unless the text is a token this challenger's key sealed; errors are the
// token sentinels only. (Each fuzz worker process begins its own session under the same
// test key, so the coordinator's genuine seed is authentic in a worker too, for another
// session: it opens, and its result is that session's.)
func FuzzFinishToken(f *testing.F) {
	// One consent with a fixed ID, so that the coordinator's token names a consent the
	// workers' stores know too.
	e := newEnv(f, func(c *liveness.Config) { c.ReplayGuard = forgetfulGuard{}; c.Consents = fixedConsent{} })
	ch, err := e.c.Begin(context.Background(), liveness.BeginRequest{Subject: "subj-A", Device: "dev-A", Consent: "fixed"})
	if err != nil {
		f.Fatal(err)
	}
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	e.clk.Set(obs[2].End.Add(time.Second))
	req := liveness.FinishRequest{Observations: obs, Score: goodScore()}

	raw, _ := base64.RawURLEncoding.DecodeString(ch.Token)
	flipped := append([]byte(nil), raw...)
	flipped[len(flipped)/2] ^= 0x10
	f.Add(ch.Token)
	f.Add(base64.RawURLEncoding.EncodeToString(flipped))
	f.Add(ch.Token[:40])
	f.Add("")
	f.Add("AQAAAAE")
	f.Add(ch.Token + "A")
	f.Fuzz(func(t *testing.T, token string) {
		r, err := e.c.Finish(context.Background(), withToken(req, token))
		if token == ch.Token {
			if err != nil || !r.Passed() {
				t.Fatalf("genuine token: %v, %v", r, err)
			}
			return
		}
		if err == nil {
			if r == nil || r.Audit.Subject != "subj-A" || r.Audit.Device != "dev-A" {
				t.Fatalf("Finish(%q) = %v, %v; only a token sealed here may open", token, r, err)
			}
			return
		}
		if r != nil {
			t.Fatalf("Finish(%q) = %v, %v; a result with an error", token, r, err)
		}
		if !errors.Is(err, liveness.ErrNotAuthentic) && !errors.Is(err, liveness.ErrExpired) {
			t.Fatalf("Finish(%q) error %v is not a token error", token, err)
		}
	})
}

var knownReasons = map[liveness.Reason]bool{
	liveness.ReasonMissingStep: true, liveness.ReasonExtraStep: true, liveness.ReasonWrongOrder: true,
	liveness.ReasonDuplicateStep: true, liveness.ReasonStepLate: true, liveness.ReasonLowConfidence: true,
	liveness.ReasonFaceMismatch: true, liveness.ReasonUnknownAction: true, liveness.ReasonTooFast: true,
	liveness.ReasonBadTimestamps: true, liveness.ReasonBeforeIssue: true, liveness.ReasonInFuture: true,
	liveness.ReasonBadConfidence: true, liveness.ReasonBindingMismatch: true,
	liveness.ReasonAttemptsExhausted: true,
}

// observationsFromBytes decodes fuzz bytes into observations, 8 bytes each: action
// selector, start offset (ms after issue, 16 bits), duration (ms, 16 bits), confidence
// (byte/200, so values above 1 occur), binding flags (another subject, no device, another
// session), and a timestamp flag byte.
func observationsFromBytes(ch *liveness.Challenge, b []byte) []liveness.Observation {
	vocab := []liveness.Action{"", "wink", "BLINK"}
	for _, s := range liveness.DefaultActions() {
		vocab = append(vocab, s.Action)
	}
	var obs []liveness.Observation
	for len(b) >= 8 && len(obs) < 40 {
		o := liveness.Observation{Session: ch.SessionID, Subject: ch.Subject, Device: ch.Device}
		sel := int(b[0])
		if sel < 3*len(ch.Steps) {
			o.Action = ch.Steps[sel%len(ch.Steps)].Action // mostly the challenge's own actions
		} else {
			o.Action = vocab[sel%len(vocab)]
		}
		o.Start = ch.IssuedAt.Add(time.Duration(binary.BigEndian.Uint16(b[1:3])) * time.Millisecond)
		o.End = o.Start.Add(time.Duration(binary.BigEndian.Uint16(b[3:5])) * time.Millisecond)
		o.Confidence = float64(b[5]) / 200
		if b[6]&1 != 0 {
			o.Subject = "other"
		}
		if b[6]&2 != 0 {
			o.Device = ""
		}
		if b[6]&4 != 0 {
			o.Session = ch.SessionID[:len(ch.SessionID)-1] + "x" // another session
		}
		switch b[7] % 8 {
		case 0:
			o.Start = time.Time{}
		case 1:
			o.Start, o.End = o.End, o.Start
		case 2:
			o.Start = o.Start.Add(-time.Hour)
		}
		obs = append(obs, o)
		b = b[8:]
	}
	return obs
}

// FuzzFinishObservations finishes a fresh session with observations built from fuzz
// bytes. Properties: no error, no panic; pass exactly when there is no reason; a pass
// means one observation per step with the session's action, in time; reasons are known
// codes; the client view is the outcome only.
func FuzzFinishObservations(f *testing.F) {
	f.Add([]byte{0, 0x01, 0x90, 0x02, 0x58, 190, 0, 7, 1, 0x07, 0xd0, 0x02, 0x58, 190, 0, 7, 2, 0x0e, 0x10, 0x02, 0x58, 190, 0, 7}, uint16(9000))
	// The passing seed above with the first observation bound to another session.
	f.Add([]byte{0, 0x01, 0x90, 0x02, 0x58, 190, 4, 7, 1, 0x07, 0xd0, 0x02, 0x58, 190, 0, 7, 2, 0x0e, 0x10, 0x02, 0x58, 190, 0, 7}, uint16(9000))
	f.Add([]byte{}, uint16(0))
	f.Add([]byte{255, 0, 0, 0, 0, 255, 3, 1}, uint16(65535))
	f.Fuzz(func(t *testing.T, data []byte, finishMs uint16) {
		e := newEnv(t, nil)
		ch := e.begin("subj-A", "dev-A")
		obs := observationsFromBytes(ch, data)
		e.clk.Set(ch.IssuedAt.Add(time.Duration(finishMs) * time.Millisecond))
		r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if (r.Outcome == liveness.OutcomePass) != (len(r.Reasons) == 0) {
			t.Fatalf("outcome %v with reasons %v", r.Outcome, r.Reasons)
		}
		for _, reason := range r.Reasons {
			if !knownReasons[reason] {
				t.Fatalf("unknown reason %q", reason)
			}
		}
		if r.Client() != (liveness.ClientResult{Outcome: r.Outcome}) {
			t.Fatalf("client view %+v", r.Client())
		}
		if r.Outcome != liveness.OutcomePass {
			if r.LivenessPassed() {
				t.Fatalf("liveness passed but outcome %v %v", r.Outcome, r.Reasons)
			}
			return
		}
		if !r.LivenessPassed() || !r.FaceMatchPassed() || len(obs) != len(ch.Steps) {
			t.Fatalf("pass with %d observations for %d steps", len(obs), len(ch.Steps))
		}
		prev := ch.IssuedAt
		for i, o := range obs {
			st := ch.Steps[i]
			if o.Action != st.Action || o.Start.Before(prev) || o.End.Sub(o.Start) < st.MinDuration ||
				o.End.After(st.Deadline) || o.Confidence < 0.5 || o.Subject != ch.Subject || o.Device != ch.Device ||
				o.Session != ch.SessionID {
				t.Fatalf("pass with bad observation %d: %v (step %+v)", i, o, st)
			}
			prev = o.End
		}
	})
}

// fixedConsent is a consent store holding one consent of subj-A, ID "fixed", in every
// process.
type fixedConsent struct{}

func (fixedConsent) Record(context.Context, liveness.Consent) (string, error) { return "fixed", nil }
func (fixedConsent) Withdraw(context.Context, string, time.Time) error        { return nil }
func (fixedConsent) Lookup(_ context.Context, id string) (liveness.Consent, bool, error) {
	return liveness.Consent{ID: id, Subject: "subj-A", Purpose: liveness.PurposeBiometric, TextVersion: "v1", GivenAt: t0},
		id == "fixed", nil
}

// FuzzFinishCapture changes one envelope of a genuine 30-frame capture. Property: Finish
// never panics, and any change to what the device signed, or to the signature, fails the
// session.
func FuzzFinishCapture(f *testing.F) {
	e := newEnv(f, func(c *liveness.Config) { c.ReplayGuard = forgetfulGuard{} })
	dev := livenesstest.NewDevice()
	ch := e.beginBound("subj-A", "dev-A", dev, nil)
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	genuine := dev.Capture(ch, obs, 30)
	e.clk.Set(obs[2].End.Add(time.Second))
	f.Add(uint8(3), uint32(3), uint8(0), uint8(0), int64(0), false, []byte(nil))
	f.Add(uint8(29), uint32(29), uint8(0), uint8(0), int64(0), false, []byte(nil))
	f.Add(uint8(0), uint32(0), uint8(1), uint8(0), int64(1), false, []byte{1})
	f.Add(uint8(5), uint32(5), uint8(0), uint8(0), int64(0), false, bytes.Repeat([]byte{7}, 65))
	f.Fuzz(func(t *testing.T, at uint8, index uint32, prevXor, hashXor uint8, shift int64, flipLast bool, sig []byte) {
		capture := slices.Clone(genuine)
		i := int(at) % len(capture)
		env := &capture[i]
		env.Index = index
		env.Prev[0] ^= prevXor
		env.FrameHash[31] ^= hashXor
		env.CapturedAt = env.CapturedAt.Add(time.Duration(shift))
		env.Last = env.Last != flipLast
		if sig != nil {
			env.Signature = sig
		}
		r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs,
			Score: goodScore(), Capture: capture})
		if len(sig) > 64 {
			// Longer than any Ed25519 signature: refused before the token is opened.
			if !errors.Is(err, liveness.ErrInvalidArgument) {
				t.Fatalf("Finish with a %d-byte signature = %v, %v; want ErrInvalidArgument", len(sig), r, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		changed := env.Index != uint32(i) || prevXor != 0 || hashXor != 0 || shift != 0 || flipLast ||
			(sig != nil && !bytes.Equal(sig, genuine[i].Signature))
		if changed && r.Outcome != liveness.OutcomeFail {
			t.Fatalf("changed envelope %d accepted: %v", i, r)
		}
		if !changed && !r.Passed() {
			t.Fatalf("genuine capture refused: %v", r)
		}
	})
}
