package review_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

func TestAssignmentLeastLoadedAndConflicts(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *review.Config) {
		c.Reviewers = []review.Reviewer{
			{ID: "r1", Capacity: 2, Conflicts: []string{"app-x"}},
			{ID: "r2", Capacity: 2},
			{ID: "r3", Capacity: 1, Conflicts: []string{"app-x"}},
		}
	})
	var got []string
	for _, ref := range []string{"app-a", "app-b", "app-c", "app-d", "app-e"} {
		got = append(got, mustApply(t, e, ref).Reviewer)
	}
	// Least loaded, ties broken by load/capacity then ID; r3 (capacity 1) is full after
	// one case; once everyone is full the case waits unassigned.
	want := []string{"r1", "r2", "r3", "r1", "r2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assignments mismatch (-want +got):\n%s", diff)
	}
	// Everyone is at capacity: the next case waits in checking.
	c := mustApply(t, e, "app-f")
	if c.State != review.StateChecking || c.Reviewer != "" {
		t.Errorf("with all reviewers full: %v reviewer %q, want checking and unassigned", c, c.Reviewer)
	}
	if _, err := e.desk.Withdraw(ctx, "app-f", c.ID); err != nil {
		t.Fatal(err)
	}
	// r2 frees a slot; app-x conflicts with r1 and r3, so only r2 may take it.
	cases, _ := e.store.List(ctx, review.Query{Reviewer: "r2", States: []review.State{review.StateInReview}})
	if _, err := e.desk.Approve(ctx, "r2", cases[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	x := mustApply(t, e, "app-x")
	if x.Reviewer != "r2" {
		t.Errorf("conflicted applicant assigned to %q, want r2 (r1 and r3 declared conflicts)", x.Reviewer)
	}
	// Free r1 (which is less loaded than r2 now) and apply again as app-x: r1 must
	// still never get it.
	cases, _ = e.store.List(ctx, review.Query{Reviewer: "r1", States: []review.State{review.StateInReview}})
	for _, c := range cases {
		if _, err := e.desk.Approve(ctx, "r1", c.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(time.Minute)
	y := mustApply(t, e, "app-x")
	if y.Reviewer == "r1" || y.Reviewer == "r3" {
		t.Errorf("conflicted applicant assigned to %q", y.Reviewer)
	}
}

func TestNeverThePreviousRejecter(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	c := mustApply(t, e, "app-1")
	if c.Reviewer != "r1" {
		t.Fatalf("first assignment = %q, want r1 (least loaded, lowest ID)", c.Reviewer)
	}
	if _, err := e.desk.Reject(ctx, "r1", c.ID, []verify.Reason{review.ReasonMaterialInconsistent}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(25 * time.Hour)
	c, err := e.desk.Reapply(ctx, c.ID, application("app-1"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Reviewer != "r2" {
		t.Errorf("re-application assigned to %q, want r2 (r1 rejected the previous attempt)", c.Reviewer)
	}

	// With the rejecter as the only reviewer, the re-application waits.
	e2 := newEnv(t, func(c *review.Config) { c.Reviewers = []review.Reviewer{{ID: "r1", Capacity: 5}} })
	c2 := mustApply(t, e2, "app-1")
	if _, err := e2.desk.Reject(ctx, "r1", c2.ID, []verify.Reason{review.ReasonMaterialInvalid}, ""); err != nil {
		t.Fatal(err)
	}
	e2.clock.Advance(25 * time.Hour)
	c2, err = e2.desk.Reapply(ctx, c2.ID, application("app-1"))
	if err != nil {
		t.Fatal(err)
	}
	if c2.State != review.StateChecking || c2.Reviewer != "" {
		t.Errorf("re-application with only the rejecter: %v reviewer %q, want waiting unassigned", c2, c2.Reviewer)
	}
	if err := e2.desk.SetReviewers([]review.Reviewer{{ID: "r1", Capacity: 5}, {ID: "r7", Capacity: 1}}); err != nil {
		t.Fatal(err)
	}
	rep, err := e2.desk.Sweep(ctx, e2.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := e2.desk.Case(ctx, c2.ID)
	if rep.Assigned != 1 || got.Reviewer != "r7" {
		t.Errorf("after adding r7: assigned=%d reviewer %q, want 1 and r7", rep.Assigned, got.Reviewer)
	}
}

// badPolicy always names the first reviewer of the roster, eligible or not.
type badPolicy struct{ id string }

func (p badPolicy) Choose(context.Context, *review.Case, []review.Candidate) (string, error) {
	return p.id, nil
}

func TestPolicyCannotPickIneligible(t *testing.T) {
	e := newEnv(t, func(c *review.Config) {
		c.Reviewers = []review.Reviewer{{ID: "r1", Capacity: 5, Conflicts: []string{"app-1"}}, {ID: "r2", Capacity: 5}}
		c.Policy = badPolicy{"r1"}
	})
	c, err := e.desk.Apply(context.Background(), application("app-1"))
	if !errors.Is(err, review.ErrIneligibleReviewer) || c == nil {
		t.Fatalf("Apply with a bad policy = %v, %v; want the case and ErrIneligibleReviewer", c, err)
	}
	if c.Reviewer == "r1" || c.State != review.StateChecking {
		t.Errorf("policy choosing a conflicted reviewer: %v reviewer %q, want refused (waiting)", c, c.Reviewer)
	}
	_, err = e.desk.Sweep(context.Background(), e.clock.Now())
	if !errors.Is(err, review.ErrIneligibleReviewer) {
		t.Errorf("Sweep error = %v, want ErrIneligibleReviewer", err)
	}
}

func TestDeadlineEscalation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		escalation review.Escalation
		reviewers  []review.Reviewer
		wantRep    review.SweepReport
		wantRev    string
		wantOver   bool
	}{
		{"reassign", review.EscalateReassign, []review.Reviewer{{ID: "r1", Capacity: 1}, {ID: "r2", Capacity: 1}},
			review.SweepReport{Reassigned: 1}, "r2", false},
		{"reassign impossible flags", review.EscalateReassign, []review.Reviewer{{ID: "r1", Capacity: 1}},
			review.SweepReport{Flagged: 1}, "r1", true},
		{"flag", review.EscalateFlag, []review.Reviewer{{ID: "r1", Capacity: 1}, {ID: "r2", Capacity: 1}},
			review.SweepReport{Flagged: 1}, "r1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *review.Config) {
				c.Escalation, c.Reviewers, c.ReviewTime = tt.escalation, tt.reviewers, 48*time.Hour
			})
			c := mustApply(t, e, "app-1")
			if c.Reviewer != "r1" || !c.Deadline.Equal(t0.Add(48*time.Hour)) {
				t.Fatalf("assigned %q deadline %v, want r1 at %v", c.Reviewer, c.Deadline, t0.Add(48*time.Hour))
			}
			// One second before the deadline nothing happens.
			rep, err := e.desk.Sweep(ctx, t0.Add(48*time.Hour-time.Second))
			if err != nil || rep != (review.SweepReport{}) {
				t.Errorf("Sweep before deadline = %+v, %v; want nothing done", rep, err)
			}
			now := e.clock.Advance(48 * time.Hour)
			rep, err = e.desk.Sweep(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			if rep != tt.wantRep {
				t.Errorf("Sweep at deadline = %+v, want %+v", rep, tt.wantRep)
			}
			got, _ := e.desk.Case(ctx, c.ID)
			if got.Reviewer != tt.wantRev || got.Overdue != tt.wantOver {
				t.Errorf("after escalation: reviewer %q overdue %v, want %q %v", got.Reviewer, got.Overdue, tt.wantRev, tt.wantOver)
			}
			last := got.History[len(got.History)-1]
			if diff := cmp.Diff([]verify.Reason{review.ReasonReviewOverdue}, last.Reasons); diff != "" || last.Actor != "system" {
				t.Errorf("escalation record %s by %s reasons mismatch (-want +got):\n%s", last.Action, last.Actor, diff)
			}
			if got.Reviewer == "r2" && !got.Deadline.Equal(now.Add(48*time.Hour)) {
				t.Errorf("reassigned deadline %v, want %v", got.Deadline, now.Add(48*time.Hour))
			}
			// A second sweep does not escalate again.
			rep, err = e.desk.Sweep(ctx, now.Add(time.Hour))
			if err != nil || rep != (review.SweepReport{}) {
				t.Errorf("second Sweep = %+v, %v; want nothing done", rep, err)
			}
			// The overdue reviewer may still decide while the case is flagged.
			if _, err := e.desk.Approve(ctx, got.Reviewer, c.ID, nil); err != nil {
				t.Errorf("Approve by %s after escalation: %v", got.Reviewer, err)
			}
		})
	}
}

func TestSupervisorReassignAndQueue(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *review.Config) {
		c.Escalation = review.EscalateFlag
		c.Reviewers = []review.Reviewer{{ID: "r1", Capacity: 5}, {ID: "r2", Capacity: 5, Conflicts: []string{"app-2"}}}
	})
	c1 := mustApply(t, e, "app-1") // r1
	c2 := mustApply(t, e, "app-2") // r1: r2 has a conflict
	now := e.clock.Advance(73 * time.Hour)
	if rep, err := e.desk.Sweep(ctx, now); err != nil || rep.Flagged != 2 {
		t.Fatalf("Sweep = %+v, %v; want 2 flagged", rep, err)
	}
	q, err := e.desk.Queue(ctx, "r1")
	if err != nil || len(q) != 2 || !q[0].Overdue || !q[1].Overdue {
		t.Fatalf("Queue(r1) = %v, %v; want 2 overdue cases", q, err)
	}
	got, err := e.desk.Reassign(ctx, "lead-1", c1.ID)
	if err != nil || got.Reviewer != "r2" || got.Overdue || !got.Deadline.Equal(now.Add(72*time.Hour)) {
		t.Errorf("Reassign(c1) = %v reviewer %q, %v; want r2, not overdue, fresh deadline", got, got.Reviewer, err)
	}
	last := got.History[len(got.History)-1]
	if last.Actor != "supervisor:lead-1" || last.Action != "reassign" {
		t.Errorf("reassign record by %q action %q", last.Actor, last.Action)
	}
	if _, err := e.desk.Reassign(ctx, "lead-1", c2.ID); !errors.Is(err, review.ErrNoReviewer) {
		t.Errorf("Reassign(c2) error = %v, want ErrNoReviewer (r2 has a conflict)", err)
	}
	if _, err := e.desk.Approve(ctx, "r2", c1.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Reassign(ctx, "lead-1", c1.ID); !errors.Is(err, review.ErrIllegalTransition) {
		t.Errorf("Reassign(approved) error = %v, want ErrIllegalTransition", err)
	}
	if q, _ := e.desk.Queue(ctx, "r2"); len(q) != 0 {
		t.Errorf("Queue(r2) after approval = %v, want empty", q)
	}
}
