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

// TestResubmitAfterDeadline: material handed in after the supplement deadline is not
// accepted just because no Sweep has run yet: the case is rejected as the Sweep would
// have done, and the resubmission fails as illegal on a rejected case.
func TestResubmitAfterDeadline(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *review.Config) { c.SupplementTime = 48 * time.Hour })
	c := mustApply(t, e, "app-1")
	if _, err := e.desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(48 * time.Hour)
	_, err := e.desk.Resubmit(ctx, "app-1", c.ID, []review.Material{material("late")})
	var te *review.Error
	if !errors.Is(err, review.ErrIllegalTransition) || !errors.As(err, &te) || te.From != review.StateRejected {
		t.Fatalf("Resubmit at the deadline: error = %v, want an illegal transition from rejected", err)
	}
	got, _ := e.desk.Case(ctx, c.ID)
	last := got.History[len(got.History)-1]
	if got.State != review.StateRejected || last.Actor != "system" || !cmp.Equal([]verify.Reason{review.ReasonSupplementOverdue}, last.Reasons) {
		t.Errorf("after a late resubmission: %v, last record %s by %s %v; want rejected by system (supplement_overdue)", got, last.Action, last.Actor, last.Reasons)
	}
	if got.Application.Materials[0].Kind == "late" {
		t.Errorf("late material was recorded")
	}
	// One rejection notice, and the Sweep finds nothing more to do.
	rep, err := e.desk.Sweep(ctx, e.clock.Now())
	if err != nil || rep != (review.SweepReport{}) {
		t.Errorf("Sweep after = %+v, %v; want nothing done", rep, err)
	}
	ns := e.notifier.Notices()
	if n := ns[len(ns)-1]; n.Kind != review.NoticeRejected {
		t.Errorf("last notice %v, want rejected", n.Kind)
	}

	// Just before the deadline the material is accepted.
	e2 := newEnv(t, func(c *review.Config) { c.SupplementTime = 48 * time.Hour })
	c2 := mustApply(t, e2, "app-1")
	if _, err := e2.desk.RequestSupplement(ctx, c2.Reviewer, c2.ID, []verify.Reason{review.ReasonMaterialUnclear}, ""); err != nil {
		t.Fatal(err)
	}
	e2.clock.Advance(48*time.Hour - time.Nanosecond)
	if c2, err = e2.desk.Resubmit(ctx, "app-1", c2.ID, []review.Material{material("rescan")}); err != nil || c2.State != review.StateResubmitted {
		t.Errorf("Resubmit just before the deadline = %v, %v; want resubmitted", c2, err)
	}
}

// TestReapplyKeepsType: a re-application cannot switch the certification type (a new
// type is a new application, with its own case).
func TestReapplyKeepsType(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	c := mustApply(t, e, "app-1")
	if _, err := e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialInvalid}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(25 * time.Hour)
	app := application("app-1")
	app.Type = review.CertOrganisation
	if _, err := e.desk.Reapply(ctx, c.ID, app); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("Reapply with another type: error = %v, want ErrInvalidArgument", err)
	}
	if got, _ := e.desk.Case(ctx, c.ID); got.State != review.StateRejected || got.Application.Type != review.CertPersonal {
		t.Errorf("after a refused re-application: %v type %v, want rejected personal", got, got.Application.Type)
	}
}
