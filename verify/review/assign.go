package review

import (
	"context"
	"slices"
	"strconv"
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
			return invalid("Reviewers", "IDs must be unique and 1.."+strconv.Itoa(maxRef)+" bytes")
		}
		if r.Capacity < 1 {
			return invalid("Reviewers", "capacity must be at least 1")
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

var loadStates = []State{StateInReview, StateResubmitted}

// pick chooses an eligible reviewer with free capacity for c, never the reviewer named
// by not, one with a declared conflict, or the rejecter of the previous attempt.
func (d *Desk) pick(ctx context.Context, c *Case, not string) (string, error) {
	d.mu.RLock()
	roster := d.reviewers
	d.mu.RUnlock()
	prev, err := d.previousRejecter(ctx, c)
	if err != nil {
		return "", err
	}
	var cands []Candidate
	for i := range roster {
		r := &roster[i]
		if !eligible(r, c, not) || (prev != "" && r.ID == prev) {
			continue
		}
		load, err := d.load(ctx, r.ID)
		if err != nil {
			return "", err
		}
		if load < r.Capacity {
			cands = append(cands, Candidate{ID: r.ID, Load: load, Capacity: r.Capacity})
		}
	}
	if len(cands) == 0 {
		return "", refusal(ReasonNoReviewer)
	}
	id, err := d.cfg.Policy.Choose(ctx, c, slices.Clone(cands))
	if err != nil {
		return "", unavailable("Policy", err)
	}
	if !slices.ContainsFunc(cands, func(x Candidate) bool { return x.ID == id }) {
		return "", refusal(ReasonIneligibleReviewer)
	}
	return id, nil
}

// previousRejecter returns the reviewer who rejected the applicant's most recent
// rejected case other than c, or "". An applicant who starts a new case with
// [Desk.Apply] after a rejection, instead of [Desk.Reapply], makes a new attempt all
// the same: its rejecter must not review it (c.RejectedBy covers re-applications).
func (d *Desk) previousRejecter(ctx context.Context, c *Case) (string, error) {
	cases, err := d.cfg.Store.List(ctx, Query{Applicant: c.Application.Applicant})
	if err != nil {
		return "", unavailable("Store", err)
	}
	var last *Case
	for _, o := range cases {
		if o.ID != c.ID && !o.RejectedAt.IsZero() && (last == nil || o.RejectedAt.After(last.RejectedAt)) {
			last = o
		}
	}
	if last == nil {
		return "", nil
	}
	return last.RejectedBy, nil
}

// load counts the cases a reviewer works on. The case being assigned never counts: it
// is in StateChecking, or (on reassignment) assigned to the reviewer being replaced.
func (d *Desk) load(ctx context.Context, reviewer string) (int, error) {
	return d.count(ctx, Query{Reviewer: reviewer, States: loadStates})
}

// count counts the cases matching q, with the Store's Counter when it has one.
func (d *Desk) count(ctx context.Context, q Query) (int, error) {
	if c, ok := d.cfg.Store.(Counter); ok {
		n, err := c.Count(ctx, q)
		if err != nil {
			return 0, unavailable("Store", err)
		}
		return n, nil
	}
	cases, err := d.cfg.Store.List(ctx, q)
	if err != nil {
		return 0, unavailable("Store", err)
	}
	return len(cases), nil
}
