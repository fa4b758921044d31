package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// TestSupplementDeadline: a case not supplemented by the deadline is rejected by the
// system with supplement_overdue at the deadline, not before; the applicant is told why.
func TestSupplementDeadline(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *review.Config) { c.SupplementTime = 48 * time.Hour })
	c := mustApply(t, e, "app-1")
	c, err := e.desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, "")
	if err != nil {
		t.Fatal(err)
	}
	deadline := t0.Add(48 * time.Hour)
	if !c.Deadline.Equal(deadline) {
		t.Fatalf("supplement deadline %v, want %v", c.Deadline, deadline)
	}
	rep, err := e.desk.Sweep(ctx, deadline.Add(-time.Nanosecond))
	if err != nil || rep != (review.SweepReport{}) {
		t.Errorf("Sweep just before the deadline = %+v, %v; want nothing done", rep, err)
	}
	rep, err = e.desk.Sweep(ctx, deadline)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(review.SweepReport{SupplementOverdue: 1, Delivered: 1}, rep); diff != "" {
		t.Errorf("Sweep at the deadline mismatch (-want +got):\n%s", diff)
	}
	got, _ := e.desk.Case(ctx, c.ID)
	last := got.History[len(got.History)-1]
	if got.State != review.StateRejected || got.RejectedBy != "" || last.Actor != "system" ||
		!cmp.Equal([]verify.Reason{review.ReasonSupplementOverdue}, last.Reasons) {
		t.Errorf("after the deadline: %v rejected-by %q, last record %s by %s %v", got, got.RejectedBy, last.Action, last.Actor, last.Reasons)
	}
	ns := e.notifier.Notices()
	if n := ns[len(ns)-1]; n.Kind != review.NoticeRejected || !cmp.Equal([]verify.Reason{review.ReasonSupplementOverdue}, n.Reasons) {
		t.Errorf("last notice %v %v, want rejected [supplement_overdue]", n.Kind, n.Reasons)
	}
}
