package review

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/trustid/trustid/verify"
)

// Approve certifies the case; the reviewer must be the one assigned. The certification
// is valid for Config.Validity and then due for re-review. rationale is the reviewer's
// reasons as codes (at most 32, each [a-z][a-z0-9_]{0,63}); it goes into the audit record.
//
// On a case with a [Journey] the reviewer acts as a trusted referee (NIST SP 800-63A-4
// §3.15): at least one rationale code is required, and the approval yields a verify
// decision sealed with Config.Decisions (verify.DecisionSealer.SealRefereed): outcome
// pass at the journey's level (never higher), for the journey's subject, document check
// and person, with the journey's reasons plus the rationale, the journey's evidence plus
// a review factor, the reviewer, case, rationale and time as its Referee, decided now and
// valid for Config.DecisionValidity. It is returned as Case.Approval and carried by the
// approval [Notice] (Notice.Decision) for the host to hand to the wallet. The decision
// is derived from the Desk's sealed copy of the journey, never from fields in the Store:
// a journey whose seal does not open under Config.Keys, that belongs to another case or
// attempt, or whose fields in the Store differ from the sealed ones refuses the approval
// with an [*Error] matching [ErrNotAuthentic], and the case stays as it was (the
// reviewer may still reject it). The audit record of the approval names the referee
// (Actor), the decision (Action "approve", Level) and the rationale (Reasons).
//
// Without a Journey (an organisation, or a host that keeps the verify decision
// elsewhere) the approval yields no decision; AutoApprove never does either, having no
// referee.
//
// The state is checked before the assignment: on a case that is closed (approved,
// rejected, withdrawn, expired) or otherwise not awaiting a decision, any reviewer, the
// assigned one or not, gets an error matching [ErrIllegalTransition], not
// [ErrNotAssigned]. The same holds for [Desk.Reject] and [Desk.RequestSupplement].
func (d *Desk) Approve(ctx context.Context, reviewer, id string, rationale []verify.Reason) (*Case, error) {
	if err := validateReasons(rationale, false); err != nil {
		return nil, err
	}
	rationale = slices.Clone(rationale)
	now := d.cfg.Now()
	return d.commit(ctx, id, now, func(c *Case, w *write) error {
		if _, err := Next(c.State, EventApprove); err != nil {
			return err
		}
		if c.Reviewer == "" || c.Reviewer != reviewer {
			return refusal(ReasonNotAssigned)
		}
		c.Approval = nil
		level := verify.LevelNone
		if c.Journey != nil {
			a, err := d.referee(c, reviewer, rationale, now)
			if err != nil {
				return err
			}
			c.Approval, level = a, a.Level
		}
		c.ValidUntil = now.Add(d.cfg.Validity).UTC()
		c.Reasons, c.Note, c.Deadline, c.Overdue = nil, "", time.Time{}, false
		return d.stepLevel(c, EventApprove, reviewerActor(reviewer), rationale, level, now, w)
	})
}

// referee seals the decision of reviewer, acting as a trusted referee, on c's journey.
func (d *Desk) referee(c *Case, reviewer string, rationale []verify.Reason, now time.Time) (*Approval, error) {
	if len(rationale) == 0 {
		return nil, invalid("rationale", "a referee's approval needs at least one reason code")
	}
	if d.cfg.Decisions == nil {
		return nil, invalid("Decisions", "the Desk has no Config.Decisions to seal the approval")
	}
	h, err := d.heldJourney(c, now)
	if err != nil {
		return nil, err
	}
	dec, err := d.cfg.Decisions.SealRefereed(h.Token, h.Journey.OpenedAt,
		verify.Referee{Reviewer: reviewer, Case: c.ID, Rationale: slices.Clone(rationale), DecidedAt: now.UTC()},
		now.Add(d.cfg.DecisionValidity))
	switch {
	case errors.Is(err, verify.ErrInvalidArgument):
		return nil, &Error{Reason: ReasonInvalidArgument, Field: "Journey", Err: err}
	case err != nil: // not authentic, or not valid when it was held: not what was sealed
		return nil, &Error{Reason: ReasonNotAuthentic, Field: "Journey"}
	case dec.Level > h.Journey.Level || dec.Subject != h.Subject || dec.CheckID != h.Journey.CheckID:
		return nil, &Error{Reason: ReasonNotAuthentic, Field: "Journey"}
	}
	return &Approval{Token: dec.Token, Level: dec.Level, DecidedAt: now.UTC(), ValidUntil: dec.ValidUntil.UTC()}, nil
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
	return d.commit(ctx, id, now, func(c *Case, w *write) error {
		if _, err := Next(c.State, ev); err != nil {
			return err
		}
		if c.Reviewer == "" || c.Reviewer != reviewer {
			return refusal(ReasonNotAssigned)
		}
		update(c, now)
		return d.step(c, ev, reviewerActor(reviewer), reasons, now, w)
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
