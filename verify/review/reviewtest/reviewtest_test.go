package reviewtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/verify/review/reviewtest"
)

func TestMemoryStore(t *testing.T) {
	reviewtest.Store(t, func(t *testing.T) review.Store { return review.NewMemoryStore() })
}

// ExampleChecker closes clear cases without a reviewer, using the fixed checker.
func ExampleChecker() {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for _, o := range []verify.Outcome{verify.OutcomePass, verify.OutcomeFail, verify.OutcomeReview} {
		desk, err := review.New(review.Config{
			Checker:     reviewtest.Checker(o, verify.ReasonNameMismatch),
			AutoApprove: true,
			AutoReject:  true,
			Reviewers:   []review.Reviewer{{ID: "r1", Capacity: 1}},
			Now:         func() time.Time { return now },
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		c, err := desk.Apply(context.Background(), review.Application{
			Applicant: "acct-1", Type: review.CertPersonal,
			Materials: []review.Material{reviewtest.Material("id-card-front")},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(o, "→", c.State, c.Reviewer, c.Reasons)
	}
	// Output:
	// pass → approved  []
	// fail → rejected  [name_mismatch]
	// review → in_review r1 []
}
