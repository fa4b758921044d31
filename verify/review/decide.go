package review

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/trustid/trustid/verify"
)

// Approve certifies the case; the reviewer must be the one assigned. The certification
// is valid for Config.Validity and then due for re-review.
//
// The state is checked before the assignment: on a case that is closed (approved,
// rejected, withdrawn, expired) or otherwise not awaiting a decision, any reviewer, the
// assigned one or not, gets an error matching [ErrIllegalTransition], not
// [ErrNotAssigned]. The same holds for [Desk.Reject] and [Desk.RequestSupplement].
func (d *Desk) Approve(ctx context.Context, reviewer, id string) (*Case, error) {
	return d.reviewerStep(ctx, reviewer, id, EventApprove, nil, func(c *Case, now time.Time) {
		c.ValidUntil = now.Add(d.cfg.Validity).UTC()
		c.Reasons, c.Note, c.Deadline, c.Overdue = nil, "", time.Time{}, false
	})
}

// Reject refuses the case with at least one reason code (sent to the applicant with its
// message) and an optional note (shown in [Progress] only). The reviewer must be the
// one assigned; they will not be assigned the applicant's next attempt. As for
// [Desk.Approve], the state is checked before the assignment: a case that is not
// awaiting a decision gives [ErrIllegalTransition] to every reviewer, not
// [ErrNotAssigned].
func (d *Desk) Reject(ctx context.Context, reviewer, id string, reasons []verify.Reason, note string) (*Case, error) {
	if err := validateDecision(reasons, note); err != nil {
		return nil, err
	}
	return d.reviewerStep(ctx, reviewer, id, EventReject, reasons, func(c *Case, now time.Time) {
		c.Reasons, c.Note = slices.Clone(reasons), note
		c.RejectedBy, c.RejectedAt = reviewer, now.UTC()
		c.Deadline, c.Overdue = time.Time{}, false
	})
}

// RequestSupplement asks the applicant to supplement or correct material, with at
// least one reason code and an optional note (shown in [Progress] only). The applicant
// has Config.SupplementTime to [Desk.Resubmit]. As for [Desk.Approve], the state is
// checked before the assignment: a case that is not in review or resubmitted gives
// [ErrIllegalTransition] to every reviewer, not [ErrNotAssigned].
func (d *Desk) RequestSupplement(ctx context.Context, reviewer, id string, reasons []verify.Reason, note string) (*Case, error) {
	if err := validateDecision(reasons, note); err != nil {
		return nil, err
	}
	return d.reviewerStep(ctx, reviewer, id, EventRequestSupplement, reasons, func(c *Case, now time.Time) {
		c.Reasons, c.Note = slices.Clone(reasons), note
		c.Deadline, c.Overdue = now.Add(d.cfg.SupplementTime).UTC(), false
	})
}

// reviewerStep applies a reviewer's decision ev to the case: the state is checked first,
// then the assignment, then update sets the case's fields and the step is recorded with
// reasons.
func (d *Desk) reviewerStep(ctx context.Context, reviewer, id string, ev Event, reasons []verify.Reason, update func(c *Case, now time.Time)) (*Case, error) {
	now := d.cfg.Now()
	return d.commit(ctx, id, now, func(c *Case, fresh *[]string) error {
		if _, err := Next(c.State, ev); err != nil {
			return err
		}
		if c.Reviewer == "" || c.Reviewer != reviewer {
			return refusal(ReasonNotAssigned)
		}
		update(c, now)
		return d.step(c, ev, reviewerActor(reviewer), reasons, now, fresh)
	})
}

// validateDecision checks the reasons (at least one) and the note of a rejection or a
// supplement request.
func validateDecision(reasons []verify.Reason, note string) error {
	if err := validateReasons(reasons, true); err != nil {
		return err
	}
	if len(note) > maxNote {
		return invalid("note", "longer than "+strconv.Itoa(maxNote)+" bytes")
	}
	return nil
}
