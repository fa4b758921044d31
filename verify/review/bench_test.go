package review_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// BenchmarkApply measures one submission (draft, submit, automatic check, close) on the
// in-memory defaults, with the notice delivered inline.
func BenchmarkApply(b *testing.B) {
	e := newEnv(b, func(c *review.Config) {
		c.Checker, c.AutoApprove = decisionChecker(verify.OutcomePass, verify.ReasonRealNameVerified), true
	})
	ctx := context.Background()
	a := application("")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		a.Applicant = "app-" + strconv.Itoa(i)
		if _, err := e.desk.Apply(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyAssign measures a submission that goes to a reviewer (least loaded of
// two). The in-memory store scans every case to count a reviewer's load, so this grows
// with the number of cases held.
func BenchmarkApplyAssign(b *testing.B) {
	e := newEnv(b, func(c *review.Config) {
		c.Reviewers = []review.Reviewer{{ID: "r1", Capacity: 1 << 30}, {ID: "r2", Capacity: 1 << 30}}
	})
	ctx := context.Background()
	a := application("")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		a.Applicant = "app-" + strconv.Itoa(i)
		if _, err := e.desk.Apply(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyChain measures verifying a 7-record trail.
func BenchmarkVerifyChain(b *testing.B) {
	rs := trail(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := review.VerifyChain(rs); err != nil {
			b.Fatal(err)
		}
	}
}
