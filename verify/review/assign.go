package review

import (
	"context"
	"fmt"
	"slices"
)

// Reviewer is a person who decides cases.
type Reviewer struct {
	// ID identifies the reviewer (a staff number); it appears in audit records.
	ID string
	// Capacity is how many cases the reviewer may work on at once (in review or
	// resubmitted). It must be at least 1.
	Capacity int
	// Conflicts lists applicant references the reviewer must never review (relatives,
	// colleagues, the reviewer's own account): declared conflicts of interest.
	Conflicts []string
}

// Candidate is an eligible reviewer offered to an [AssignPolicy], with the number of
// cases they currently work on.
type Candidate struct {
	ID       string
	Load     int
	Capacity int
}

// AssignPolicy chooses a reviewer for a case among eligible candidates. The Desk only
// offers reviewers with free capacity, without a declared conflict with the applicant,
// who did not reject the applicant's previous attempt (a re-application of this case,
// or a new case after the applicant's latest rejected one), and (on reassignment) who
// are not the overdue reviewer; an ID outside the candidates is refused, so no policy can break
// these rules. Choose is never called with an empty list.
type AssignPolicy interface {
	Choose(ctx context.Context, c *Case, candidates []Candidate) (string, error)
}

// LeastLoaded is the default [AssignPolicy]: the candidate with the fewest cases, then
// the lowest load relative to capacity, then the smallest ID.
type LeastLoaded struct{}

// Choose implements [AssignPolicy].
func (LeastLoaded) Choose(_ context.Context, _ *Case, cs []Candidate) (string, error) {
	best := slices.MinFunc(cs, func(a, b Candidate) int {
		if a.Load != b.Load {
			return a.Load - b.Load
		}
		// a.Load/a.Capacity vs b.Load/b.Capacity without division.
		if x, y := a.Load*b.Capacity, b.Load*a.Capacity; x != y {
			return x - y
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return best.ID, nil
}

func validateReviewers(rs []Reviewer) error {
	seen := make(map[string]bool, len(rs))
	for _, r := range rs {
		if r.ID == "" || len(r.ID) > maxRef || seen[r.ID] {
			return fmt.Errorf("review: reviewer IDs must be unique and 1..%d bytes: %w", maxRef, ErrInvalidArgument)
		}
		if r.Capacity < 1 {
			return fmt.Errorf("review: reviewer capacity must be at least 1: %w", ErrInvalidArgument)
		}
		seen[r.ID] = true
	}
	return nil
}

// eligible reports whether r may be assigned c, excluding the reviewer named by not.
func eligible(r *Reviewer, c *Case, not string) bool {
	if r.ID == not || r.ID == c.RejectedBy {
		return false
	}
	return !slices.Contains(r.Conflicts, c.Application.Applicant)
}
