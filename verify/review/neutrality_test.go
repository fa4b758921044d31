package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// TestRejecterExcludedFromNewApplication: an applicant rejected in one case who applies
// again with a new case (Apply, not Reapply) is still a previous attempt: the reviewer
// who rejected it must not be assigned.
func TestRejecterExcludedFromNewApplication(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	c := mustApply(t, e, "app-1")
	if c.Reviewer != "r1" {
		t.Fatalf("first assignment = %q, want r1", c.Reviewer)
	}
	if _, err := e.desk.Reject(ctx, "r1", c.ID, []verify.Reason{review.ReasonMaterialInvalid}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(25 * time.Hour)
	n := mustApply(t, e, "app-1")
	if n.ID == c.ID || n.Reviewer != "r2" {
		t.Errorf("new application after rejection assigned to %q, want r2 (r1 rejected the previous attempt)", n.Reviewer)
	}
	// Another applicant is not affected: r1 (least loaded) takes it.
	if o := mustApply(t, e, "app-2"); o.Reviewer != "r1" {
		t.Errorf("other applicant assigned to %q, want r1", o.Reviewer)
	}
}
