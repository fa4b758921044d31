package liveness_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/store"
)

func TestReplaySequential(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.begin("subj-A", "dev-A")
	if r, err := e.finishSimulated(ch); err != nil || r.Outcome != liveness.OutcomePass {
		t.Fatalf("first Finish = %v, %v", r, err)
	}
	for range 3 {
		if r, err := e.finishSimulated(ch); !errors.Is(err, store.ErrReplayed) || r != nil {
			t.Fatalf("replayed Finish = %v, %v; want ErrReplayed", r, err)
		}
	}
	// A failing Finish consumes the session too: observations cannot be probed.
	ch2 := e.begin("subj-A", "dev-A")
	e.clk.Set(ch2.IssuedAt.Add(10 * time.Second))
	r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch2.Token, Score: goodScore()})
	if err != nil || r.Outcome == liveness.OutcomePass {
		t.Fatalf("Finish without observations = %v, %v", r, err)
	}
	if _, err := e.finishSimulated(ch2); !errors.Is(err, store.ErrReplayed) {
		t.Fatalf("Finish after a failed Finish: %v, want ErrReplayed", err)
	}
}

func TestReplayConcurrent(t *testing.T) {
	const goroutines = 64
	e := newEnv(t, nil)
	for round := range 5 {
		ch := e.begin("subj-A", "dev-A")
		obs := livenesstest.Simulate(ch, ch.IssuedAt)
		e.clk.Set(obs[len(obs)-1].End.Add(time.Second))
		var wins, replays atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range goroutines {
			wg.Go(func() {
				<-start
				r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
				switch {
				case err == nil && r.Outcome == liveness.OutcomePass:
					wins.Add(1)
				case errors.Is(err, store.ErrReplayed):
					replays.Add(1)
				default:
					t.Errorf("unexpected Finish result %v, %v", r, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 || replays.Load() != goroutines-1 {
			t.Errorf("round %d: %d successes, %d replays; want 1 and %d", round, wins.Load(), replays.Load(), goroutines-1)
		}
	}
}

func TestTokenFromAnotherSubjectOrSession(t *testing.T) {
	e := newEnv(t, nil)
	a := e.begin("subj-A", "dev-A")
	b := e.begin("subj-B", "dev-B")
	// Observations of A's stream against B's token: the binding does not match.
	obsA := livenesstest.Simulate(a, a.IssuedAt)
	e.clk.Set(obsA[2].End.Add(time.Second))
	r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: b.Token, Observations: obsA, Score: goodScore()})
	if err != nil || r.Outcome != liveness.OutcomeFail || !contains(r.Reasons, liveness.ReasonBindingMismatch) {
		t.Fatalf("A's observations with B's token = %v, %v; want fail binding_mismatch", r, err)
	}
	// Two sessions of the same subject: the second session's token with the first
	// session's observations fails on order whenever the sequences differ. (Actions come
	// from crypto/rand: draw until they do, under a cap that does not get in the way.)
	e = newEnv(t, func(c *liveness.Config) {
		c.Attempts = store.AttemptRule{Limit: 1 << 20, Window: time.Minute}
	})
	var s1, s2 *liveness.Challenge
	for {
		s1, s2 = e.begin("subj-C", "dev-C"), e.begin("subj-C", "dev-C")
		if s1.Steps[0].Action != s2.Steps[0].Action {
			break
		}
	}
	obs1 := livenesstest.Simulate(s1, s1.IssuedAt)
	r, err = e.c.Finish(context.Background(), liveness.FinishRequest{Token: s2.Token, Observations: obs1, Score: goodScore()})
	if err != nil || r.Outcome == liveness.OutcomePass || !contains(r.Reasons, liveness.ReasonWrongOrder) {
		t.Fatalf("session 1's observations with session 2's token = %v, %v; want wrong_order", r, err)
	}
	// Two sessions of the same subject that drew the same actions: the observations name
	// the session they were made for, so they still do not carry over.
	e = newEnv(t, func(c *liveness.Config) {
		c.Attempts = store.AttemptRule{Limit: 1 << 20, Window: time.Minute}
	})
	for i := 0; ; i++ {
		s1, s2 = e.begin("subj-D", "dev-D"), e.begin("subj-D", "dev-D")
		if slices.Equal(s1.Steps, s2.Steps) {
			break
		}
		if i > 100000 {
			t.Fatal("no two sessions drew the same actions")
		}
	}
	obs1 = livenesstest.Simulate(s1, s2.IssuedAt)
	e.clk.Set(obs1[len(obs1)-1].End.Add(time.Second))
	r, err = e.c.Finish(context.Background(), liveness.FinishRequest{Token: s2.Token, Observations: obs1, Score: goodScore()})
	if err != nil || r.Outcome != liveness.OutcomeFail || !contains(r.Reasons, liveness.ReasonBindingMismatch) {
		t.Fatalf("same-sequence session's observations = %v, %v; want fail binding_mismatch", r, err)
	}
}

func contains(rs []liveness.Reason, r liveness.Reason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// otherAction returns a vocabulary action different from every action in not.
func otherAction(not ...liveness.Action) liveness.Action {
next:
	for _, s := range liveness.DefaultActions() {
		for _, n := range not {
			if s.Action == n {
				continue next
			}
		}
		return s.Action
	}
	panic("vocabulary too small")
}

// shift moves observations from i on by d.
func shift(obs []liveness.Observation, i int, d time.Duration) {
	for ; i < len(obs); i++ {
		obs[i].Start = obs[i].Start.Add(d)
		obs[i].End = obs[i].End.Add(d)
	}
}

func TestObservationAttacks(t *testing.T) {
	const skew = time.Second
	type tc struct {
		name string
		// mutate changes the simulated observations; it returns Finish's time, or the
		// zero time for "one second after the last observation ends".
		mutate      func(ch *liveness.Challenge, obs []liveness.Observation) ([]liveness.Observation, time.Time)
		wantOutcome liveness.Outcome
		wantReasons []liveness.Reason
	}
	same := func(f func(ch *liveness.Challenge, obs []liveness.Observation)) func(*liveness.Challenge, []liveness.Observation) ([]liveness.Observation, time.Time) {
		return func(ch *liveness.Challenge, obs []liveness.Observation) ([]liveness.Observation, time.Time) {
			f(ch, obs)
			return obs, time.Time{}
		}
	}
	const (
		pass  = liveness.OutcomePass
		retry = liveness.OutcomeRetry
		fail  = liveness.OutcomeFail
	)
	tests := []tc{
		{"genuine", same(func(*liveness.Challenge, []liveness.Observation) {}), pass, nil},
		{"reordered", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Action, o[1].Action = o[1].Action, o[0].Action
		}), retry, []liveness.Reason{liveness.ReasonWrongOrder}},
		{"wrong action", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			o[2].Action = otherAction(ch.Steps[1].Action, ch.Steps[2].Action)
		}), retry, []liveness.Reason{liveness.ReasonWrongOrder}},
		{"missing last step", func(_ *liveness.Challenge, o []liveness.Observation) ([]liveness.Observation, time.Time) {
			return o[:2], o[2].End
		}, retry, []liveness.Reason{liveness.ReasonMissingStep}},
		{"no observations", func(ch *liveness.Challenge, o []liveness.Observation) ([]liveness.Observation, time.Time) {
			return nil, o[2].End
		}, retry, []liveness.Reason{liveness.ReasonMissingStep}},
		{"extra step", func(ch *liveness.Challenge, o []liveness.Observation) ([]liveness.Observation, time.Time) {
			x := o[2]
			x.Action = otherAction(o[2].Action)
			x.Start, x.End = o[2].End.Add(time.Second), o[2].End.Add(2*time.Second)
			return append(o, x), time.Time{}
		}, retry, []liveness.Reason{liveness.ReasonExtraStep}},
		{"duplicate step", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[1].Action = o[0].Action
		}), retry, []liveness.Reason{liveness.ReasonDuplicateStep}},
		{"step repeated and sequence shifted", func(_ *liveness.Challenge, o []liveness.Observation) ([]liveness.Observation, time.Time) {
			d := o[0]
			d.Start, d.End = o[0].End.Add(400*time.Millisecond), o[0].End.Add(time.Second)
			out := []liveness.Observation{o[0], d, o[1], o[2]}
			shift(out, 2, time.Second)
			return out, time.Time{}
		}, retry, []liveness.Reason{liveness.ReasonExtraStep, liveness.ReasonDuplicateStep, liveness.ReasonWrongOrder}},
		{"unknown action", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[1].Action = "wink"
		}), fail, []liveness.Reason{liveness.ReasonUnknownAction}},
		{"action faster than human", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			o[1].End = o[1].Start.Add(ch.Steps[1].MinDuration - time.Nanosecond)
		}), fail, []liveness.Reason{liveness.ReasonTooFast}},
		{"action exactly minimum duration", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			o[1].End = o[1].Start.Add(ch.Steps[1].MinDuration)
		}), pass, nil},
		{"reaction faster than human", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			shift(o, 1, o[0].End.Add(100*time.Millisecond-time.Nanosecond).Sub(o[1].Start))
		}), fail, []liveness.Reason{liveness.ReasonTooFast}},
		{"reaction exactly minimum", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			shift(o, 1, o[0].End.Add(100*time.Millisecond).Sub(o[1].Start))
		}), pass, nil},
		{"first step right at issue", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			shift(o, 0, ch.IssuedAt.Sub(o[0].Start))
		}), fail, []liveness.Reason{liveness.ReasonTooFast}},
		{"first step before issue", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			o[0].Start = ch.IssuedAt.Add(-time.Nanosecond)
		}), fail, []liveness.Reason{liveness.ReasonBeforeIssue}},
		{"whole stream recorded before issue", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			shift(o, 0, -time.Hour)
		}), fail, []liveness.Reason{liveness.ReasonBeforeIssue}},
		{"end before start", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[1].Start, o[1].End = o[1].End, o[1].Start
		}), fail, []liveness.Reason{liveness.ReasonBadTimestamps}},
		{"steps overlap", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			shift(o, 1, o[0].End.Add(-time.Nanosecond).Sub(o[1].Start))
		}), fail, []liveness.Reason{liveness.ReasonBadTimestamps}},
		{"timestamps go backwards", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[2].Start, o[2].End = o[0].Start, o[0].End
		}), fail, []liveness.Reason{liveness.ReasonBadTimestamps}},
		{"zero timestamp", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Start = time.Time{}
		}), fail, []liveness.Reason{liveness.ReasonBadTimestamps}},
		{"last step exactly at deadline", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			shift(o, 2, ch.Steps[2].Deadline.Sub(o[2].End))
		}), pass, nil},
		{"last step 1ns after deadline", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			shift(o, 2, ch.Steps[2].Deadline.Sub(o[2].End)+time.Nanosecond)
		}), retry, []liveness.Reason{liveness.ReasonStepLate}},
		{"first step late, rest on time", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			o[0].End = ch.Steps[0].Deadline.Add(time.Millisecond)
			shift(o, 1, o[0].End.Sub(o[1].Start)+time.Second)
		}), retry, []liveness.Reason{liveness.ReasonStepLate}},
		{"step after session expiry", same(func(ch *liveness.Challenge, o []liveness.Observation) {
			shift(o, 2, ch.Expires.Add(time.Second).Sub(o[2].End))
		}), fail, []liveness.Reason{liveness.ReasonStepLate, liveness.ReasonInFuture}},
		{"step ends in the future", func(_ *liveness.Challenge, o []liveness.Observation) ([]liveness.Observation, time.Time) {
			return o, o[2].End.Add(-skew - time.Nanosecond)
		}, fail, []liveness.Reason{liveness.ReasonInFuture}},
		{"step ends exactly now plus skew", func(_ *liveness.Challenge, o []liveness.Observation) ([]liveness.Observation, time.Time) {
			return o, o[2].End.Add(-skew)
		}, pass, nil},
		{"low confidence", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Confidence = 0.49
		}), retry, []liveness.Reason{liveness.ReasonLowConfidence}},
		{"confidence exactly minimum", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Confidence = 0.5
		}), pass, nil},
		{"confidence NaN", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Confidence = nan()
		}), fail, []liveness.Reason{liveness.ReasonBadConfidence}},
		{"confidence above one", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Confidence = 1.5
		}), fail, []liveness.Reason{liveness.ReasonBadConfidence}},
		{"another subject", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[1].Subject = "subj-Z"
		}), fail, []liveness.Reason{liveness.ReasonBindingMismatch}},
		{"another device", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[2].Device = "dev-Z"
		}), fail, []liveness.Reason{liveness.ReasonBindingMismatch}},
		{"another session", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[1].Session = "00000000000000000000000000000000"
		}), fail, []liveness.Reason{liveness.ReasonBindingMismatch}},
		{"empty binding", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Subject, o[0].Device = "", ""
		}), fail, []liveness.Reason{liveness.ReasonBindingMismatch}},
		{"retryable and attack together fail", same(func(_ *liveness.Challenge, o []liveness.Observation) {
			o[0].Confidence = 0.1
			o[1].Device = "dev-Z"
		}), fail, []liveness.Reason{liveness.ReasonLowConfidence, liveness.ReasonBindingMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *liveness.Config) { c.MaxClockSkew = skew })
			ch := e.begin("subj-A", "dev-A")
			obs, at := tt.mutate(ch, livenesstest.Simulate(ch, ch.IssuedAt))
			if at.IsZero() {
				at = ch.IssuedAt
				for _, o := range obs {
					if o.End.After(at) {
						at = o.End
					}
				}
				at = at.Add(time.Second)
				if !at.Before(ch.Expires) {
					at = ch.Expires.Add(-time.Nanosecond)
				}
			}
			e.clk.Set(at)
			r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
			if r.Outcome != tt.wantOutcome {
				t.Errorf("outcome = %v, want %v (reasons %v)", r.Outcome, tt.wantOutcome, r.Reasons)
			}
			if diff := cmp.Diff(tt.wantReasons, r.Reasons); diff != "" {
				t.Errorf("reasons mismatch (-want +got):\n%s", diff)
			}
			if r.LivenessPassed() != (tt.wantOutcome == pass) || r.FaceMatchPassed() != (tt.wantOutcome == pass) {
				t.Errorf("LivenessPassed, FaceMatchPassed = %v, %v", r.LivenessPassed(), r.FaceMatchPassed())
			}
			if diff := cmp.Diff(liveness.ClientResult{Outcome: tt.wantOutcome}, r.Client()); diff != "" {
				t.Errorf("client view mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSessionExpiry(t *testing.T) {
	tests := []struct {
		name    string
		at      time.Duration // after issue
		wantErr error
	}{
		{"1ns before expiry", 2*time.Minute - time.Nanosecond, nil},
		{"exactly at expiry", 2 * time.Minute, liveness.ErrExpired},
		{"half a second late", 2*time.Minute + 500*time.Millisecond, liveness.ErrExpired},
		{"a day late", 24 * time.Hour, liveness.ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Issue at a time with a fractional second so that the token's whole-second
			// expiry and the session's exact one differ.
			e := newEnv(t, nil)
			e.clk.Set(t0.Add(300 * time.Millisecond))
			ch := e.begin("subj-A", "dev-A")
			obs := livenesstest.Simulate(ch, ch.IssuedAt)
			e.clk.Set(ch.IssuedAt.Add(tt.at))
			r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Finish error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && r.Outcome != liveness.OutcomePass {
				t.Errorf("outcome %v %v, want pass", r.Outcome, r.Reasons)
			}
		})
	}
}

func TestAttemptsCap(t *testing.T) {
	ctx := context.Background()
	t.Run("new sessions per subject", func(t *testing.T) {
		e := newEnv(t, nil)
		for i := range 5 {
			if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-" + string(rune('a'+i))})); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		_, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-new"}))
		var le *store.LockedOutError
		if !errors.Is(err, store.ErrLockedOut) || !errors.As(err, &le) || !le.RetryAt.Equal(t0.Add(30*time.Minute)) {
			t.Fatalf("6th Begin = %v, want ErrLockedOut until %v", err, t0.Add(30*time.Minute))
		}
		e.clk.Set(t0.Add(30*time.Minute - time.Nanosecond))
		if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-new"})); !errors.Is(err, store.ErrLockedOut) {
			t.Fatalf("Begin 1ns before cool-off ends: %v", err)
		}
		e.clk.Set(t0.Add(30 * time.Minute))
		if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-new"})); err != nil {
			t.Fatalf("Begin after cool-off: %v", err)
		}
	})
	t.Run("new subjects per device", func(t *testing.T) {
		e := newEnv(t, nil)
		for i := range 5 {
			if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-" + string(rune('a'+i)), Device: "dev-A"})); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-new", Device: "dev-A"})); !errors.Is(err, store.ErrLockedOut) {
			t.Fatalf("6th Begin on one device = %v, want ErrLockedOut", err)
		}
	})
	t.Run("last attempt fails instead of retry", func(t *testing.T) {
		e := newEnv(t, nil)
		var last *liveness.Challenge
		for range 5 {
			last = e.begin("subj-A", "dev-A")
		}
		obs := livenesstest.Simulate(last, last.IssuedAt)
		obs[0].Confidence = 0.2
		e.clk.Set(obs[2].End.Add(time.Second))
		r, err := e.c.Finish(ctx, liveness.FinishRequest{Token: last.Token, Observations: obs, Score: goodScore()})
		if err != nil {
			t.Fatal(err)
		}
		want := []liveness.Reason{liveness.ReasonLowConfidence, liveness.ReasonAttemptsExhausted}
		if diff := cmp.Diff(want, r.Reasons); diff != "" || r.Outcome != liveness.OutcomeFail || !r.RetryAt.Equal(t0.Add(30*time.Minute)) {
			t.Errorf("outcome %v RetryAt %v, reasons mismatch (-want +got):\n%s", r.Outcome, r.RetryAt, diff)
		}
	})
	t.Run("success resets", func(t *testing.T) {
		e := newEnv(t, nil)
		var last *liveness.Challenge
		for range 4 {
			last = e.begin("subj-A", "dev-A")
		}
		if r, err := e.finishSimulated(last); err != nil || !r.Passed() {
			t.Fatalf("Finish = %v, %v", r, err)
		}
		// The subject's count starts again; the device's does not (see the laundering test).
		for i := range 5 {
			if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-A", Device: fmt.Sprintf("dev-%d", i)})); err != nil {
				t.Fatalf("attempt %d after success: %v", i+1, err)
			}
		}
	})
	t.Run("concurrent begins never exceed the cap", func(t *testing.T) {
		e := newEnv(t, nil)
		var ok atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				if _, err := e.c.Begin(ctx, e.consented(liveness.BeginRequest{Subject: "subj-A", Device: "dev-A"})); err == nil {
					ok.Add(1)
				} else if !errors.Is(err, store.ErrLockedOut) {
					t.Errorf("Begin: %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 5 {
			t.Errorf("%d concurrent Begins allowed, want 5", ok.Load())
		}
	})
}

// recordingMatcher records its calls and returns score or err.
type recordingMatcher struct {
	mu    sync.Mutex
	calls []string
	score liveness.Score
	err   error
}

func (m *recordingMatcher) Match(_ context.Context, ref liveness.PhotoRef, probe liveness.ProbeRef) (liveness.Score, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, string(ref)+"|"+string(probe))
	return m.score, m.err
}

func TestFaceMatch(t *testing.T) {
	hostErr := errors.New("face service down")
	tests := []struct {
		name        string
		score       *liveness.Score
		matcher     *recordingMatcher
		breakLive   bool
		wantOutcome liveness.Outcome
		wantReasons []liveness.Reason
		wantErr     error
		wantCalls   []string
	}{
		{name: "score passes", score: goodScore(), wantOutcome: liveness.OutcomePass},
		{name: "exactly threshold", score: &liveness.Score{Value: 0.62, Backend: "acme", ModelVersion: "v3"}, wantOutcome: liveness.OutcomePass},
		{name: "below threshold", score: &liveness.Score{Value: 0.6199, Backend: "acme", ModelVersion: "v3"},
			wantOutcome: liveness.OutcomeRetry, wantReasons: []liveness.Reason{liveness.ReasonFaceMismatch}},
		{name: "unconfigured model version", score: &liveness.Score{Value: 0.99, Backend: "acme", ModelVersion: "v4"},
			wantOutcome: liveness.OutcomeFail, wantReasons: []liveness.Reason{liveness.ReasonUnconfiguredModel}},
		{name: "unconfigured backend", score: &liveness.Score{Value: 0.99, Backend: "other", ModelVersion: "v3"},
			wantOutcome: liveness.OutcomeFail, wantReasons: []liveness.Reason{liveness.ReasonUnconfiguredModel}},
		{name: "NaN score", score: &liveness.Score{Value: nan(), Backend: "acme", ModelVersion: "v3"},
			wantOutcome: liveness.OutcomeFail, wantReasons: []liveness.Reason{liveness.ReasonBadScore}},
		{name: "no score and no matcher", wantOutcome: liveness.OutcomeFail, wantReasons: []liveness.Reason{liveness.ReasonNoFaceScore}},
		{name: "matcher passes", matcher: &recordingMatcher{score: *goodScore()}, wantOutcome: liveness.OutcomePass,
			wantCalls: []string{"photo-0001|probe-1"}},
		{name: "matcher low", matcher: &recordingMatcher{score: liveness.Score{Value: 0.3, Backend: "acme", ModelVersion: "v3"}},
			wantOutcome: liveness.OutcomeRetry, wantReasons: []liveness.Reason{liveness.ReasonFaceMismatch}, wantCalls: []string{"photo-0001|probe-1"}},
		{name: "matcher error", matcher: &recordingMatcher{err: hostErr}, wantErr: hostErr, wantCalls: []string{"photo-0001|probe-1"}},
		{name: "precomputed score wins over matcher", score: goodScore(), matcher: &recordingMatcher{err: hostErr}, wantOutcome: liveness.OutcomePass},
		{name: "liveness failed: matcher not called, good face does not rescue", matcher: &recordingMatcher{score: *goodScore()}, breakLive: true,
			wantOutcome: liveness.OutcomeFail, wantReasons: []liveness.Reason{liveness.ReasonTooFast}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *liveness.Config) {
				if tt.matcher != nil {
					c.Matcher = tt.matcher
				}
			})
			ch := e.begin("subj-A", "dev-A")
			obs := livenesstest.Simulate(ch, ch.IssuedAt)
			if tt.breakLive {
				obs[0].End = obs[0].Start.Add(time.Millisecond)
			}
			e.clk.Set(obs[2].End.Add(time.Second))
			r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Probe: "probe-1", Score: tt.score})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !errors.Is(err, liveness.ErrUnavailable) {
					t.Fatalf("Finish error = %v, want %v and ErrUnavailable", err, tt.wantErr)
				}
			} else {
				if err != nil {
					t.Fatalf("Finish: %v", err)
				}
				if r.Outcome != tt.wantOutcome {
					t.Errorf("outcome %v, want %v", r.Outcome, tt.wantOutcome)
				}
				if diff := cmp.Diff(tt.wantReasons, r.Reasons); diff != "" {
					t.Errorf("reasons mismatch (-want +got):\n%s", diff)
				}
				if r.FaceMatchPassed() != (tt.wantOutcome == liveness.OutcomePass) {
					t.Errorf("FaceMatchPassed = %v", r.FaceMatchPassed())
				}
			}
			if tt.matcher != nil {
				if diff := cmp.Diff(tt.wantCalls, tt.matcher.calls); diff != "" {
					t.Errorf("matcher calls mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestTamperedToken(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.begin("subj-A", "dev-A")
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	e.clk.Set(obs[2].End.Add(time.Second))
	req := liveness.FinishRequest{Observations: obs, Score: goodScore()}
	raw, err := base64.RawURLEncoding.DecodeString(ch.Token)
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(raw) * 8 {
		b := append([]byte(nil), raw...)
		b[i/8] ^= 1 << (i % 8)
		if _, err := e.c.Finish(context.Background(), withToken(req, base64.RawURLEncoding.EncodeToString(b))); !errors.Is(err, liveness.ErrNotAuthentic) {
			t.Fatalf("bit %d flipped: Finish error = %v, want ErrNotAuthentic", i, err)
		}
	}
	bad := map[string]string{
		"empty":         "",
		"truncated":     ch.Token[:len(ch.Token)-1],
		"truncated raw": base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]),
		"extended":      base64.RawURLEncoding.EncodeToString(append(append([]byte(nil), raw...), 0)),
		"padded":        ch.Token + "=",
		"not base64":    "!" + ch.Token[1:],
	}
	for name, tok := range bad {
		if _, err := e.c.Finish(context.Background(), withToken(req, tok)); !errors.Is(err, liveness.ErrNotAuthentic) {
			t.Errorf("%s token: Finish error = %v, want ErrNotAuthentic", name, err)
		}
	}
	// Another key with the same ID: the token does not open.
	other := newEnv(t, func(c *liveness.Config) { c.Keys = []store.Key{testKey(1, 0x5A)} })
	other.clk.Set(e.clk.Now())
	if _, err := other.c.Finish(context.Background(), withToken(req, ch.Token)); !errors.Is(err, liveness.ErrNotAuthentic) {
		t.Errorf("wrong key: %v, want ErrNotAuthentic", err)
	}
	// The genuine token still works after all of that: failed opens consume nothing.
	if r, err := e.c.Finish(context.Background(), withToken(req, ch.Token)); err != nil || !r.Passed() {
		t.Errorf("genuine token after tampering attempts: %v, %v", r, err)
	}
}

// failingGuard and failingStore simulate host components that cannot be reached.
type failingGuard struct{ err error }

func (g failingGuard) Claim(context.Context, string, time.Time, time.Time) (bool, error) {
	return false, g.err
}

type failingStore struct{ err error }

func (s failingStore) Take(context.Context, string, time.Time, store.AttemptRule) (store.AttemptResult, error) {
	return store.AttemptResult{Allowed: true, Remaining: 4}, s.err
}

func (s failingStore) Reset(context.Context, string) error { return s.err }

func TestHostFailuresFailClosed(t *testing.T) {
	down := errors.New("store down")
	e := newEnv(t, func(c *liveness.Config) { c.ReplayGuard = failingGuard{down} })
	ch := e.begin("subj-A", "dev-A")
	if r, err := e.finishSimulated(ch); !errors.Is(err, liveness.ErrUnavailable) || !errors.Is(err, down) || r != nil {
		t.Errorf("Finish with failing replay guard = %v, %v; want ErrUnavailable", r, err)
	}
	e2 := newEnv(t, func(c *liveness.Config) { c.AttemptStore = failingStore{down} })
	if _, err := e2.c.Begin(context.Background(), e2.consented(liveness.BeginRequest{Subject: "s", Device: "d"})); !errors.Is(err, liveness.ErrUnavailable) || !errors.Is(err, down) {
		t.Errorf("Begin with failing attempt store = %v; want ErrUnavailable", err)
	}
}

// TestVocabularyChangedSinceBegin: a session begun under one vocabulary is finished by a
// challenger configured with another (a rolling deployment). The sealed steps rule.
func TestVocabularyChangedSinceBegin(t *testing.T) {
	custom := []liveness.ActionSpec{
		{Action: "look_up", Window: 5 * time.Second, MinDuration: 200 * time.Millisecond},
		{Action: "look_down", Window: 5 * time.Second, MinDuration: 200 * time.Millisecond},
		{Action: "smile", Window: 5 * time.Second, MinDuration: 200 * time.Millisecond},
		{Action: "frown", Window: 5 * time.Second, MinDuration: 200 * time.Millisecond},
	}
	old := newEnv(t, func(c *liveness.Config) { c.Actions = custom })
	ch := old.begin("subj-A", "dev-A")
	for _, tt := range []struct {
		name    string
		swap    bool
		want    liveness.Outcome
		reasons []liveness.Reason
	}{
		{"in order", false, liveness.OutcomePass, nil},
		{"reordered", true, liveness.OutcomeRetry, []liveness.Reason{liveness.ReasonWrongOrder}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			current := newEnv(t, func(c *liveness.Config) { c.Consents = old.cfg.Consents }) // default vocabulary, same key and consents
			obs := livenesstest.Simulate(ch, ch.IssuedAt)
			if tt.swap {
				obs[0].Action, obs[1].Action = obs[1].Action, obs[0].Action
			}
			current.clk.Set(obs[2].End.Add(time.Second))
			r, err := current.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: goodScore()})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.reasons, r.Reasons); diff != "" || r.Outcome != tt.want {
				t.Errorf("outcome %v, want %v; reasons mismatch (-want +got):\n%s", r.Outcome, tt.want, diff)
			}
		})
	}
}

// negativeRemainingStore breaks the store.AttemptStore contract by reporting a negative number
// of remaining attempts, as a buggy adapter might.
type negativeRemainingStore struct{}

func (negativeRemainingStore) Take(context.Context, string, time.Time, store.AttemptRule) (store.AttemptResult, error) {
	return store.AttemptResult{Allowed: true, Remaining: -1}, nil
}

func (negativeRemainingStore) Reset(context.Context, string) error { return nil }

// TestNegativeRemainingFailsClosed: a negative Remaining must count as none left (the
// last attempt fails) rather than wrap around to many attempts left (retry).
func TestNegativeRemainingFailsClosed(t *testing.T) {
	e := newEnv(t, func(c *liveness.Config) { c.AttemptStore = negativeRemainingStore{} })
	ch := e.begin("subj-A", "dev-A")
	low := &liveness.Score{Value: 0.1, Backend: goodScore().Backend, ModelVersion: goodScore().ModelVersion}
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	e.clk.Set(obs[len(obs)-1].End.Add(time.Second))
	r, err := e.c.Finish(context.Background(), liveness.FinishRequest{Token: ch.Token, Observations: obs, Score: low})
	if err != nil {
		t.Fatal(err)
	}
	want := []liveness.Reason{liveness.ReasonFaceMismatch, liveness.ReasonAttemptsExhausted}
	if r.Outcome != liveness.OutcomeFail || !cmp.Equal(want, r.Reasons) {
		t.Errorf("Finish = %v %v, want fail %v", r.Outcome, r.Reasons, want)
	}
}
