package review_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// TestWorkflowPaths drives the Desk through every legal transition and checks the
// final state and the actions recorded in the audit trail.
func TestWorkflowPaths(t *testing.T) {
	ctx := context.Background()
	const ref = "app-1"
	approveR := func(e *env, c *review.Case) (*review.Case, error) {
		return e.desk.Approve(ctx, c.Reviewer, c.ID, nil)
	}
	rejectR := func(e *env, c *review.Case) (*review.Case, error) {
		return e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialInvalid}, "")
	}
	supplement := func(e *env, c *review.Case) (*review.Case, error) {
		return e.desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, "")
	}
	resubmit := func(e *env, c *review.Case) (*review.Case, error) {
		return e.desk.Resubmit(ctx, ref, c.ID, []review.Material{material("id-card-back-rescan")})
	}
	withdraw := func(e *env, c *review.Case) (*review.Case, error) {
		return e.desk.Withdraw(ctx, ref, c.ID)
	}
	sweepAfter := func(d time.Duration) func(e *env, c *review.Case) (*review.Case, error) {
		return func(e *env, c *review.Case) (*review.Case, error) {
			now := e.clock.Advance(d)
			if _, err := e.desk.Sweep(ctx, now); err != nil {
				return nil, err
			}
			return e.desk.Case(ctx, c.ID)
		}
	}
	reapply := func(e *env, c *review.Case) (*review.Case, error) {
		e.clock.Advance(25 * time.Hour)
		return e.desk.Reapply(ctx, c.ID, application(ref))
	}
	type action func(e *env, c *review.Case) (*review.Case, error)
	base := []string{"draft", "submit", "check"}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	tests := []struct {
		name    string
		cfg     func(*review.Config)
		steps   []action
		want    review.State
		actions []string
	}{
		{"no checker goes to a reviewer", nil, nil, review.StateInReview, with("assign")},
		{"auto pass closes", func(c *review.Config) {
			c.Checker, c.AutoApprove = decisionChecker(verify.OutcomePass, verify.ReasonRealNameVerified), true
		}, nil, review.StateApproved, with("check_pass")},
		{"auto fail closes", func(c *review.Config) {
			c.Checker, c.AutoReject = decisionChecker(verify.OutcomeFail, verify.ReasonNameMismatch), true
		}, nil, review.StateRejected, with("check_fail")},
		{"pass without AutoApprove needs a reviewer", func(c *review.Config) {
			c.Checker = decisionChecker(verify.OutcomePass)
		}, nil, review.StateInReview, with("check_review", "assign")},
		{"review outcome", func(c *review.Config) {
			c.Checker, c.AutoApprove, c.AutoReject = decisionChecker(verify.OutcomeReview, verify.ReasonNameLenientMatch), true, true
		}, nil, review.StateInReview, with("check_review", "assign")},
		{"no reviewer waits in checking", func(c *review.Config) { c.Reviewers = nil }, nil, review.StateChecking, base},
		{"approve", nil, []action{approveR}, review.StateApproved, with("assign", "approve")},
		{"reject", nil, []action{rejectR}, review.StateRejected, with("assign", "reject")},
		{"supplement", nil, []action{supplement}, review.StateSupplementRequested, with("assign", "request_supplement")},
		{"resubmit", nil, []action{supplement, resubmit}, review.StateResubmitted,
			with("assign", "request_supplement", "resubmit")},
		{"approve resubmitted", nil, []action{supplement, resubmit, approveR}, review.StateApproved,
			with("assign", "request_supplement", "resubmit", "approve")},
		{"reject resubmitted", nil, []action{supplement, resubmit, rejectR}, review.StateRejected,
			with("assign", "request_supplement", "resubmit", "reject")},
		{"supplement again", nil, []action{supplement, resubmit, supplement}, review.StateSupplementRequested,
			with("assign", "request_supplement", "resubmit", "request_supplement")},
		{"supplement deadline rejects", nil, []action{supplement, sweepAfter(7*24*time.Hour + time.Second)}, review.StateRejected,
			with("assign", "request_supplement", "reject")},
		{"withdraw in review", nil, []action{withdraw}, review.StateWithdrawn, with("assign", "withdraw")},
		{"withdraw waiting", func(c *review.Config) { c.Reviewers = nil }, []action{withdraw}, review.StateWithdrawn, with("withdraw")},
		{"withdraw supplement", nil, []action{supplement, withdraw}, review.StateWithdrawn,
			with("assign", "request_supplement", "withdraw")},
		{"withdraw resubmitted", nil, []action{supplement, resubmit, withdraw}, review.StateWithdrawn,
			with("assign", "request_supplement", "resubmit", "withdraw")},
		{"reassign overdue", nil, []action{sweepAfter(73 * time.Hour)}, review.StateInReview, with("assign", "reassign")},
		{"escalate overdue", func(c *review.Config) { c.Escalation = review.EscalateFlag }, []action{sweepAfter(73 * time.Hour)},
			review.StateInReview, with("assign", "escalate")},
		{"reassign overdue resubmitted", nil, []action{supplement, resubmit, sweepAfter(73 * time.Hour)}, review.StateResubmitted,
			with("assign", "request_supplement", "resubmit", "reassign")},
		{"expire", nil, []action{approveR, sweepAfter(366 * 24 * time.Hour)}, review.StateExpired,
			with("assign", "approve", "expire")},
		{"reapply rejected", nil, []action{rejectR, reapply}, review.StateInReview,
			with("assign", "reject", "reapply", "check", "assign")},
		{"reapply expired", nil, []action{approveR, sweepAfter(366 * 24 * time.Hour), reapply}, review.StateInReview,
			with("assign", "approve", "expire", "reapply", "check", "assign")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.cfg)
			c := mustApply(t, e, ref)
			for i, step := range tt.steps {
				var err error
				if c, err = step(e, c); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
			}
			if c.State != tt.want {
				t.Errorf("state = %v, want %v", c.State, tt.want)
			}
			if diff := cmp.Diff(tt.actions, actions(c)); diff != "" {
				t.Errorf("audit actions mismatch (-want +got):\n%s", diff)
			}
			if err := review.VerifyChain(c.History); err != nil {
				t.Errorf("VerifyChain(history) = %v", err)
			}
			for i, r := range c.History {
				if r.Actor == "" || r.Time.IsZero() || r.Time.After(e.clock.Now()) || r.Time.Before(t0) {
					t.Errorf("record %d (%s): actor %q time %v: want an actor and a time from the clock", i, r.Action, r.Actor, r.Time)
				}
			}
			stored, err := e.desk.Case(ctx, c.ID)
			if err != nil || stored.Version != c.Version || stored.State != c.State {
				t.Errorf("stored case = %v, %v; want the returned case %v", stored, err, c)
			}
		})
	}
}

// TestIllegalActions checks that the Desk refuses events illegal in the current state,
// and reviewer actions by someone not assigned.
func TestIllegalActions(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	draft, err := e.desk.Draft(ctx, application("app-1"))
	if err != nil {
		t.Fatal(err)
	}
	inReview := mustApply(t, e, "app-2")
	approved := mustApply(t, e, "app-3")
	if approved, err = e.desk.Approve(ctx, approved.Reviewer, approved.ID, nil); err != nil {
		t.Fatal(err)
	}
	other := "r1"
	if inReview.Reviewer == "r1" {
		other = "r2"
	}
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"approve draft", func() error { _, err := e.desk.Approve(ctx, "r1", draft.ID, nil); return err }, review.ErrIllegalTransition},
		{"resubmit in review", func() error {
			_, err := e.desk.Resubmit(ctx, "app-2", inReview.ID, []review.Material{material("x")})
			return err
		}, review.ErrIllegalTransition},
		{"submit twice", func() error { _, err := e.desk.Submit(ctx, "app-2", inReview.ID); return err }, review.ErrIllegalTransition},
		{"reapply in review", func() error { _, err := e.desk.Reapply(ctx, inReview.ID, application("app-2")); return err }, review.ErrIllegalTransition},
		{"withdraw approved", func() error { _, err := e.desk.Withdraw(ctx, "app-3", approved.ID); return err }, review.ErrIllegalTransition},
		{"reject approved", func() error {
			_, err := e.desk.Reject(ctx, approved.Reviewer, approved.ID, []verify.Reason{"x"}, "")
			return err
		}, review.ErrIllegalTransition},
		{"approve by other reviewer", func() error { _, err := e.desk.Approve(ctx, other, inReview.ID, nil); return err }, review.ErrNotAssigned},
		{"withdraw by other applicant", func() error { _, err := e.desk.Withdraw(ctx, "app-9", inReview.ID); return err }, review.ErrNotFound},
		{"progress of other applicant", func() error { _, err := e.desk.Progress(ctx, "app-9", inReview.ID); return err }, review.ErrNotFound},
		{"reject without reasons", func() error { _, err := e.desk.Reject(ctx, inReview.Reviewer, inReview.ID, nil, ""); return err }, review.ErrInvalidArgument},
		{"malformed reason", func() error {
			_, err := e.desk.Reject(ctx, inReview.Reviewer, inReview.ID, []verify.Reason{"110105 X"}, "")
			return err
		}, review.ErrInvalidArgument},
		{"submit without materials", func() error {
			a := application("app-4")
			a.Materials = nil
			c, err := e.desk.Draft(ctx, a)
			if err != nil {
				return err
			}
			_, err = e.desk.Submit(ctx, "app-4", c.ID)
			return err
		}, review.ErrInvalidArgument},
		{"unknown case", func() error { _, err := e.desk.Approve(ctx, "r1", "rv-none", nil); return err }, review.ErrNotFound},
	}
	for _, tt := range tests {
		if err := tt.do(); !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}
	// Refused actions changed nothing.
	got, err := e.desk.Case(ctx, inReview.ID)
	if err != nil || got.Version != inReview.Version {
		t.Errorf("case version after refused actions = %d, %v; want %d", got.Version, err, inReview.Version)
	}
}

func TestConcurrentDecisionsOneWins(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	c := mustApply(t, e, "app-1")
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			switch i % 3 {
			case 0:
				_, err = e.desk.Approve(ctx, c.Reviewer, c.ID, nil)
			case 1:
				_, err = e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialInvalid}, "")
			case 2:
				_, err = e.desk.Withdraw(ctx, "app-1", c.ID)
			}
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, review.ErrIllegalTransition) {
				t.Errorf("concurrent decision error = %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d concurrent final decisions succeeded, want exactly 1", wins)
	}
	got, err := e.desk.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.History) != len(c.History)+1 {
		t.Errorf("history grew by %d records, want 1", len(got.History)-len(c.History))
	}
	if err := review.VerifyChain(got.History); err != nil {
		t.Errorf("Verify = %v", err)
	}
}

func TestAutoCheckerFailureRetriedBySweep(t *testing.T) {
	ctx := context.Background()
	calls := 0
	var mu sync.Mutex
	checker := review.AutoCheckFunc(func(context.Context, *review.Application, *verify.Decision) (verify.Decision, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return verify.Decision{}, errors.New("registry unavailable")
		}
		return verify.Decision{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonNameLenientMatch}}, nil
	})
	e := newEnv(t, func(c *review.Config) { c.Checker = checker })
	c, err := e.desk.Apply(ctx, application("app-1"))
	if err == nil || c == nil || c.State != review.StateChecking {
		t.Fatalf("Apply with failing checker = %v, %v; want case in checking and an error", c, err)
	}
	rep, err := e.desk.Sweep(ctx, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checked != 1 || rep.Assigned != 1 {
		t.Errorf("Sweep report = %+v, want Checked=1 Assigned=1", rep)
	}
	got, _ := e.desk.Case(ctx, c.ID)
	if got.State != review.StateInReview || got.Check == nil || got.Check.Outcome != verify.OutcomeReview {
		t.Errorf("after sweep: %v check=%+v, want in_review with the review decision", got, got.Check)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  review.Config
	}{
		{"duplicate reviewer", review.Config{Reviewers: []review.Reviewer{{ID: "a", Capacity: 1}, {ID: "a", Capacity: 1}}}},
		{"zero capacity", review.Config{Reviewers: []review.Reviewer{{ID: "a"}}}},
		{"negative duration", review.Config{ReviewTime: -time.Hour}},
		{"bad rule", review.Config{ApplicationLimit: store.AttemptRule{Limit: 0, Window: time.Hour}}},
		{"bad escalation", review.Config{Escalation: 9}},
		{"negative draft cap", review.Config{MaxDrafts: -1}},
	}
	for _, tt := range tests {
		if _, err := review.New(tt.cfg); !errors.Is(err, review.ErrInvalidArgument) {
			t.Errorf("New(%s) error = %v, want ErrInvalidArgument", tt.name, err)
		}
	}
}

func TestErrorsHoldNoPersonalData(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	a := application("app-1")
	a.Materials = nil
	c, err := e.desk.Draft(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.desk.Submit(ctx, "app-1", c.ID)
	for _, s := range []string{a.Claimed.Name, a.Claimed.Number} {
		if err == nil || strings.Contains(err.Error(), s) {
			t.Errorf("error %v holds personal data", err)
		}
	}
}

// TestDecisionOnClosedCase pins the documented order of checks in Approve, Reject and
// RequestSupplement: the state first, then the assignment, so that every reviewer acting
// on a closed case gets ErrIllegalTransition and never ErrNotAssigned.
func TestDecisionOnClosedCase(t *testing.T) {
	ctx := context.Background()
	reasons := []verify.Reason{review.ReasonMaterialInvalid}
	decisions := []struct {
		name string
		do   func(d *review.Desk, reviewer, id string) error
	}{
		{"approve", func(d *review.Desk, r, id string) error { _, err := d.Approve(ctx, r, id, nil); return err }},
		{"reject", func(d *review.Desk, r, id string) error { _, err := d.Reject(ctx, r, id, reasons, ""); return err }},
		{"request supplement", func(d *review.Desk, r, id string) error {
			_, err := d.RequestSupplement(ctx, r, id, reasons, "")
			return err
		}},
	}
	closers := []struct {
		name  string
		close func(e *env, c *review.Case) error
	}{
		{"approved", func(e *env, c *review.Case) error { _, err := e.desk.Approve(ctx, c.Reviewer, c.ID, nil); return err }},
		{"rejected", func(e *env, c *review.Case) error {
			_, err := e.desk.Reject(ctx, c.Reviewer, c.ID, reasons, "")
			return err
		}},
		{"withdrawn", func(e *env, c *review.Case) error { _, err := e.desk.Withdraw(ctx, "app-1", c.ID); return err }},
	}
	for _, cl := range closers {
		for _, dec := range decisions {
			t.Run(cl.name+"/"+dec.name, func(t *testing.T) {
				e := newEnv(t, nil)
				c := mustApply(t, e, "app-1")
				if err := cl.close(e, c); err != nil {
					t.Fatal(err)
				}
				other := "r1"
				if c.Reviewer == "r1" {
					other = "r2"
				}
				for _, r := range []string{c.Reviewer, other, "r-unknown"} {
					err := dec.do(e.desk, r, c.ID)
					if !errors.Is(err, review.ErrIllegalTransition) || errors.Is(err, review.ErrNotAssigned) {
						t.Errorf("%s by %s on a %s case: error = %v, want ErrIllegalTransition only", dec.name, r, cl.name, err)
					}
				}
			})
		}
	}
}
