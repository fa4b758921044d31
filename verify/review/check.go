package review

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/trustid/trustid/verify"
)

// process moves a case in StateChecking on: it runs the AutoChecker if it has not run
// for this attempt, closes the case on a clear result when configured, and otherwise
// assigns a reviewer if one is free (if none is, the case waits in StateChecking for
// the next Sweep). assigned reports whether a reviewer was assigned. Notice deliveries
// are added to rep when it is not nil.
func (d *Desk) process(ctx context.Context, c *Case, now time.Time, rep *SweepReport) (_ *Case, assigned bool, _ error) {
	if c.State != StateChecking {
		return c, false, nil
	}
	var dec *verify.Decision
	if d.cfg.Checker != nil && c.Check == nil {
		app := c.Application
		app.Materials = slices.Clone(app.Materials)
		var journey *verify.Decision
		if c.Journey != nil {
			h, err := d.heldJourney(c, now)
			if err != nil {
				return c, false, err
			}
			journey = h.decision()
		}
		got, err := d.cfg.Checker.Check(ctx, &app, journey)
		if err != nil {
			return c, false, unavailable("Checker", err)
		}
		dec = &got
	}
	attempt := c.Attempt
	nc, err := d.commitCounted(ctx, c.ID, now, rep, func(c *Case, w *write) error {
		assigned = false
		if c.State != StateChecking || c.Attempt != attempt {
			return errSkip
		}
		if dec != nil && c.Check == nil {
			closed, err := d.applyCheck(c, *dec, now, w)
			if err != nil || closed {
				return err
			}
		} else if c.Check == nil && d.cfg.Checker != nil {
			return errSkip
		}
		r, err := d.pick(ctx, c, "")
		if errors.Is(err, ErrNoReviewer) {
			if dec == nil {
				return errSkip
			}
			return nil // keep the check result; wait for a reviewer
		}
		if err != nil {
			return err
		}
		c.Reviewer, w.capacity = r.ID, r.Capacity
		c.Deadline = now.Add(d.cfg.ReviewTime).UTC()
		c.Overdue = false
		assigned = true
		return d.step(c, EventAssign, actorSystem, nil, now, w)
	})
	if errors.Is(err, errSkip) {
		// Nothing to do, or the case moved on meanwhile (withdrawn): report where it is.
		if latest, gerr := d.get(ctx, c.ID); gerr == nil {
			return latest, false, nil
		}
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	return nc, assigned, nil
}

// applyCheck records a decision; it reports whether the case was closed.
func (d *Desk) applyCheck(c *Case, dec verify.Decision, now time.Time, w *write) (bool, error) {
	reasons := make([]verify.Reason, 0, len(dec.Reasons))
	for _, r := range dec.Reasons {
		if reasonCode.MatchString(string(r)) {
			reasons = append(reasons, r)
		}
	}
	c.Check = &CheckResult{Outcome: dec.Outcome, Level: dec.Level, Reasons: reasons, At: now.UTC()}
	switch {
	case dec.Outcome == verify.OutcomePass && d.cfg.AutoApprove:
		c.ValidUntil = now.Add(d.cfg.Validity).UTC()
		c.Reviewer, c.Reasons = "", nil
		return true, d.step(c, EventCheckPass, actorSystem, reasons, now, w)
	case dec.Outcome == verify.OutcomeFail && d.cfg.AutoReject:
		var fails []verify.Reason
		for _, r := range reasons {
			if !r.Success() {
				fails = append(fails, r)
			}
		}
		if len(fails) == 0 {
			fails = []verify.Reason{ReasonAutomaticCheckFailed}
		}
		c.Reasons, c.Reviewer, c.RejectedBy, c.RejectedAt = fails, "", "", now.UTC()
		return true, d.step(c, EventCheckFail, actorSystem, fails, now, w)
	}
	rec := append([]verify.Reason{verify.Reason("outcome_" + dec.Outcome.String())}, reasons...)
	if !reasonCode.MatchString(string(rec[0])) {
		rec[0] = "outcome_invalid"
	}
	return false, d.step(c, EventCheckReview, actorSystem, rec, now, w)
}
