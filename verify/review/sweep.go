package review

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/trustid/trustid/verify"
)

// ReasonReviewOverdue is recorded when a reviewer missed the deadline and the case was
// reassigned or flagged.
const ReasonReviewOverdue verify.Reason = "review_overdue"

// SweepReport counts what one [Desk.Sweep] did.
type SweepReport struct {
	// Checked counts automatic checks run (retries after a checker failure).
	Checked int
	// Assigned counts cases that got a reviewer after waiting.
	Assigned int
	// Reassigned counts overdue cases given to another reviewer.
	Reassigned int
	// Flagged counts overdue cases flagged without reassignment.
	Flagged int
	// SupplementOverdue counts cases rejected because material was not supplemented
	// in time.
	SupplementOverdue int
	// Expired counts certifications whose validity ended.
	Expired int
	// Delivered and Failed count notice deliveries (accepted and failed Notify calls)
	// made by the sweep: the notices its own steps raised (rejection after a retried
	// check or a missed supplement deadline, re-review due), which are sent at once,
	// and retries of notices left pending earlier.
	Delivered, Failed int
}

// Sweep does the periodic work due at now; the host runs it every few minutes, from one
// or several processes. It runs automatic checks that failed before and assigns waiting
// cases, escalates cases whose reviewer missed the deadline (reassign or flag, per
// Config.Escalation), rejects cases not supplemented in time, expires certifications
// whose validity ended (notifying re-review due), and delivers pending notices (each
// at most once: a notice is claimed in the store before it is sent). Errors for single
// cases do not stop the sweep; they are joined and returned with the report.
func (d *Desk) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	cases, err := d.cfg.Store.List(ctx, Query{WakeBefore: now})
	if err != nil {
		return rep, unavailable("Store", err)
	}
	var errs []error
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		if err := d.sweepCase(ctx, c, now, &rep); err != nil && !errors.Is(err, errSkip) {
			d.cfg.Logger.WarnContext(ctx, "review: sweep failed for case", slog.String("case", c.ID), slog.Any("error", err))
			errs = append(errs, fmt.Errorf("case %s: %w", c.ID, err))
		}
	}
	return rep, errors.Join(errs...)
}

func (d *Desk) sweepCase(ctx context.Context, c *Case, now time.Time, rep *SweepReport) error {
	var err error
	switch {
	case c.State == StateChecking:
		ran := d.cfg.Checker != nil && c.Check == nil
		var assigned bool
		_, assigned, err = d.process(ctx, c, now, rep)
		if ran && err == nil {
			rep.Checked++
		}
		if assigned {
			rep.Assigned++
		}
	case (c.State == StateInReview || c.State == StateResubmitted) && !c.Overdue && !c.Deadline.After(now):
		err = d.escalate(ctx, c.ID, now, rep)
	case c.State == StateSupplementRequested && !c.Deadline.After(now):
		_, err = d.commitCounted(ctx, c.ID, now, rep, func(c *Case, fresh *[]string) error {
			if c.State != StateSupplementRequested || c.Deadline.After(now) {
				return errSkip
			}
			return d.rejectSupplementOverdue(c, now, fresh)
		})
		if err == nil {
			rep.SupplementOverdue++
		}
	case c.State == StateApproved && !c.ValidUntil.After(now):
		_, err = d.expire(ctx, c.ID, now, ReasonValidityEnded, true, rep)
		if err == nil {
			rep.Expired++
		}
	}
	if err != nil && !errors.Is(err, errSkip) {
		return err
	}
	return d.deliverPending(ctx, c, now, rep)
}

// rejectSupplementOverdue rejects c, whose supplement deadline has passed, as the
// system.
func (d *Desk) rejectSupplementOverdue(c *Case, now time.Time, fresh *[]string) error {
	c.Reasons, c.Note = []verify.Reason{ReasonSupplementOverdue}, ""
	c.RejectedBy, c.RejectedAt, c.Deadline = "", now.UTC(), time.Time{}
	return d.step(c, EventReject, actorSystem, c.Reasons, now, fresh)
}

// escalate reassigns an overdue case or flags it.
func (d *Desk) escalate(ctx context.Context, id string, now time.Time, rep *SweepReport) error {
	reassigned := false
	_, err := d.commitCounted(ctx, id, now, rep, func(c *Case, fresh *[]string) error {
		reassigned = false
		if (c.State != StateInReview && c.State != StateResubmitted) || c.Overdue || c.Deadline.After(now) {
			return errSkip
		}
		if d.cfg.Escalation == EscalateReassign {
			next, err := d.pick(ctx, c, c.Reviewer)
			if err == nil {
				c.Reviewer, c.Deadline = next, now.Add(d.cfg.ReviewTime).UTC()
				reassigned = true
				return d.step(c, EventReassign, actorSystem, []verify.Reason{ReasonReviewOverdue}, now, fresh)
			}
			if !errors.Is(err, ErrNoReviewer) {
				return err
			}
		}
		c.Overdue = true
		return d.step(c, EventEscalate, actorSystem, []verify.Reason{ReasonReviewOverdue}, now, fresh)
	})
	if err == nil {
		if reassigned {
			rep.Reassigned++
		} else {
			rep.Flagged++
		}
	}
	return err
}

// deliverPending claims the case's undelivered notices whose claim has lapsed and sends
// them. The claim is written with optimistic concurrency, so of two concurrent sweeps
// only one sends a notice.
func (d *Desk) deliverPending(ctx context.Context, listed *Case, now time.Time, rep *SweepReport) error {
	due := func(n *Notice) bool { return n.Delivered.IsZero() && !n.ClaimedUntil.After(now) }
	found := false
	for i := range listed.Outbox {
		if due(&listed.Outbox[i]) {
			found = true
		}
	}
	if !found {
		return nil
	}
	var keys []string
	c, _, err := d.update(ctx, listed.ID, now, func(c *Case, _ *[]string) error {
		keys = keys[:0]
		for i := range c.Outbox {
			if n := &c.Outbox[i]; due(n) {
				n.ClaimedUntil = now.Add(d.cfg.ClaimTTL).UTC()
				keys = append(keys, n.Key)
			}
		}
		if len(keys) == 0 {
			return errSkip
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, sent, failed := d.deliver(ctx, c, keys, now)
	rep.Delivered += sent
	rep.Failed += failed
	return nil
}

// Reassign gives a case in review (for example one flagged overdue) to another eligible
// reviewer chosen by the policy, with a fresh deadline; supervisor names who decided it
// and is recorded as the actor "supervisor:<id>". It returns [ErrNoReviewer] when no
// other eligible reviewer has capacity.
func (d *Desk) Reassign(ctx context.Context, supervisor, id string) (*Case, error) {
	if supervisor == "" || len(supervisor) > maxRef {
		return nil, invalid("supervisor", "must be 1.."+strconv.Itoa(maxRef)+" bytes")
	}
	now := d.cfg.Now()
	return d.commit(ctx, id, now, func(c *Case, fresh *[]string) error {
		if _, err := Next(c.State, EventReassign); err != nil {
			return err
		}
		next, err := d.pick(ctx, c, c.Reviewer)
		if err != nil {
			return err
		}
		var reasons []verify.Reason
		if c.Overdue {
			reasons = []verify.Reason{ReasonReviewOverdue}
		}
		c.Reviewer, c.Deadline, c.Overdue = next, now.Add(d.cfg.ReviewTime).UTC(), false
		return d.step(c, EventReassign, "supervisor:"+supervisor, reasons, now, fresh)
	})
}

// Queue lists the cases a reviewer must act on (in review or resubmitted), in ID order;
// Case.Deadline and Case.Overdue say which are urgent.
func (d *Desk) Queue(ctx context.Context, reviewer string) ([]*Case, error) {
	cs, err := d.cfg.Store.List(ctx, Query{Reviewer: reviewer, States: loadStates})
	if err != nil {
		return nil, unavailable("Store", err)
	}
	return cs, nil
}
