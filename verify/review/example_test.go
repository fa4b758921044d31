package review_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// Example runs one application through automatic checks that ask for a human, a
// supplement request, a resubmission and approval, on the in-memory defaults with a
// fixed clock.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	notifier := review.NewMemoryNotifier()
	desk, err := review.New(review.Config{
		Now:       func() time.Time { return now },
		Notifier:  notifier,
		Reviewers: []review.Reviewer{{ID: "reviewer-7", Capacity: 10, Conflicts: []string{"acct-1001"}}, {ID: "reviewer-8", Capacity: 10}},
		// The host's verify pipeline; here: the name matched only after lenient folding.
		Checker: review.AutoCheckFunc(func(context.Context, *review.Application, *verify.Decision) (verify.Decision, error) {
			return verify.Decision{Outcome: verify.OutcomeReview, Level: verify.LevelRealName,
				Reasons: []verify.Reason{verify.ReasonNameLenientMatch}}, nil
		}),
	})
	if err != nil {
		panic(err)
	}
	scan := func(name string) review.Material {
		return review.Material{Kind: name, Ref: "uploads/" + name, Digest: sha256.Sum256([]byte(name))}
	}
	c, err := desk.Apply(ctx, review.Application{
		Applicant: "acct-1001",
		Type:      review.CertPersonal,
		Claimed:   review.Identity{Name: "阿依古丽·买买提", Number: "65010219900101002X"},
		Materials: []review.Material{scan("id-card-front")},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.State, c.Reviewer, c.Application.Claimed)

	now = now.Add(2 * time.Hour)
	c, _ = desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialMissing}, "")
	now = now.Add(24 * time.Hour)
	c, _ = desk.Resubmit(ctx, "acct-1001", c.ID, []review.Material{scan("id-card-front"), scan("id-card-back")})
	now = now.Add(time.Hour)
	c, _ = desk.Approve(ctx, c.Reviewer, c.ID, nil)

	p, _ := desk.Progress(ctx, "acct-1001", c.ID)
	fmt.Println(p.Status.In("zh"), p.Status.In("en"))
	for _, s := range p.History {
		fmt.Println(s.Time.Format("15:04"), s.By, s.Action)
	}
	for _, n := range notifier.Notices() {
		fmt.Println(n.Kind, "|", strings.ReplaceAll(n.Body.EN, c.ID, "<case ID>"))
	}
	fmt.Println("audit chain ok:", review.VerifyChain(c.History) == nil)
	// Output:
	// in_review reviewer-8 阿***·买** 650102********002X
	// 认证已通过。 The certification was approved.
	// 09:00 applicant draft
	// 09:00 applicant submit
	// 09:00 system check
	// 09:00 system check_review
	// 09:00 system assign
	// 11:00 reviewer request_supplement
	// 11:00 applicant resubmit
	// 12:00 reviewer approve
	// submitted | Your certification application (<case ID>) was received and will be reviewed.
	// supplement_requested | Your certification application (<case ID>) needs more material: Required material is missing. Please submit it before 2026-11-30 11:00 UTC.
	// approved | Your certification application (<case ID>) was approved; it is valid until 2027-11-24 12:00 UTC.
	// audit chain ok: true
}
