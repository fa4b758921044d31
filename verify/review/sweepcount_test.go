package review_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// TestSweepCountsOwnNotices checks that SweepReport.Delivered and Failed count the
// notices raised by the sweep's own steps (a retried automatic check that rejects, a
// supplement deadline missed, a certification expired), which the sweep sends at once,
// and not only retries of notices left pending earlier.
func TestSweepCountsOwnNotices(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		failing bool
		want    review.SweepReport
	}{
		{"notifier accepts", false, review.SweepReport{Checked: 1, SupplementOverdue: 1, Expired: 1, Delivered: 3}},
		{"notifier fails", true, review.SweepReport{Checked: 1, SupplementOverdue: 1, Expired: 1, Failed: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := &countingNotifier{}
			var mu sync.Mutex
			checks := 0
			// app-check's first check fails (system failure); the retry is a clear fail.
			checker := review.AutoCheckFunc(func(_ context.Context, a *review.Application, _ *verify.Decision) (verify.Decision, error) {
				if a.Applicant != "app-check" {
					return verify.Decision{Outcome: verify.OutcomeReview, Level: verify.LevelRealName}, nil
				}
				mu.Lock()
				defer mu.Unlock()
				if checks++; checks == 1 {
					return verify.Decision{}, errors.New("registry unavailable")
				}
				return verify.Decision{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameMismatch}}, nil
			})
			e := newEnv(t, func(c *review.Config) {
				c.Notifier, c.Checker, c.AutoReject = n, checker, true
			})
			if _, err := e.desk.Apply(ctx, application("app-check")); err == nil {
				t.Fatal("Apply with failing checker: want an error")
			}
			sup := mustApply(t, e, "app-supplement")
			if _, err := e.desk.RequestSupplement(ctx, sup.Reviewer, sup.ID, []verify.Reason{review.ReasonMaterialInvalid}, ""); err != nil {
				t.Fatal(err)
			}
			appr := mustApply(t, e, "app-approved")
			if _, err := e.desk.Approve(ctx, appr.Reviewer, appr.ID, nil); err != nil {
				t.Fatal(err)
			}
			before := len(n.kinds())
			n.setFailing(tt.failing)
			rep, err := e.desk.Sweep(ctx, e.clock.Advance(366*24*time.Hour))
			if err != nil {
				t.Fatalf("Sweep: %v", err)
			}
			if diff := cmp.Diff(tt.want, rep); diff != "" {
				t.Errorf("Sweep report mismatch (-want +got):\n%s", diff)
			}
			if got := len(n.kinds()) - before; got != rep.Delivered {
				t.Errorf("notifier accepted %d notices during the sweep, report says %d", got, rep.Delivered)
			}
			if !tt.failing {
				return
			}
			// The failed notices are retried by a later sweep and counted there once.
			n.setFailing(false)
			rep, err = e.desk.Sweep(ctx, e.clock.Advance(time.Minute))
			if err != nil {
				t.Fatalf("second Sweep: %v", err)
			}
			if diff := cmp.Diff(review.SweepReport{Delivered: 3}, rep); diff != "" {
				t.Errorf("second Sweep report mismatch (-want +got):\n%s", diff)
			}
			if dups := n.duplicates(); len(dups) != 0 {
				t.Errorf("notices sent twice: %v", dups)
			}
		})
	}
}
