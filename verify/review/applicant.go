package review

import (
	"context"
	"slices"
	"time"
)

// applicantStep performs an applicant's transition on their own case.
func (d *Desk) applicantStep(ctx context.Context, applicant, id string, fn func(c *Case, now time.Time, fresh *[]string) error) (*Case, error) {
	now := d.cfg.Now()
	return d.commit(ctx, id, now, func(c *Case, fresh *[]string) error {
		if c.Application.Applicant != applicant {
			return refusal(ReasonNotFound)
		}
		return fn(c, now, fresh)
	})
}

// Resubmit hands in supplemented or corrected material after a supplement request. The
// materials replace the previous ones; the assigned reviewer gets a fresh deadline.
//
// Material is due before the supplement deadline (Case.Deadline), whether or not a
// [Desk.Sweep] has run since: at or after the deadline the case is rejected with
// supplement_overdue, as the Sweep would have done, and Resubmit returns a
// [ReasonIllegalTransition] error from StateRejected.
func (d *Desk) Resubmit(ctx context.Context, applicant, id string, materials []Material) (*Case, error) {
	if err := validateMaterials(materials, true); err != nil {
		return nil, err
	}
	late := false
	c, err := d.applicantStep(ctx, applicant, id, func(c *Case, now time.Time, fresh *[]string) error {
		if _, err := Next(c.State, EventResubmit); err != nil {
			return err
		}
		if late = !c.Deadline.After(now); late {
			return d.rejectSupplementOverdue(c, now, fresh)
		}
		c.Application.Materials = slices.Clone(materials)
		c.Deadline = now.Add(d.cfg.ReviewTime).UTC()
		c.Overdue = false
		return d.step(c, EventResubmit, applicantActor(applicant), nil, now, fresh)
	})
	if err != nil {
		return nil, err
	}
	if late {
		return nil, &Error{Reason: ReasonIllegalTransition, From: StateRejected, Event: EventResubmit}
	}
	return c, nil
}

// Withdraw withdraws an open application; the case is closed for good.
func (d *Desk) Withdraw(ctx context.Context, applicant, id string) (*Case, error) {
	return d.applicantStep(ctx, applicant, id, func(c *Case, now time.Time, fresh *[]string) error {
		if err := d.step(c, EventWithdraw, applicantActor(applicant), nil, now, fresh); err != nil {
			return err
		}
		c.Deadline, c.Overdue = time.Time{}, false
		return nil
	})
}
