package review

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/trustid/trustid/verify"
)

// IdentityChanged reports that the applicant's identity data changed (from wallet or
// the host): every approved certification of the applicant expires with reason
// identity_changed, the applicant is notified, and re-certification is opened (the
// applicant re-applies with [Desk.Reapply]). It returns the IDs of the expired cases.
func (d *Desk) IdentityChanged(ctx context.Context, applicant string) ([]string, error) {
	now := d.cfg.Now()
	cases, err := d.cfg.Store.List(ctx, Query{Applicant: applicant, States: []State{StateApproved}})
	if err != nil {
		return nil, unavailable("Store", err)
	}
	var ids []string
	var errs []error
	for _, c := range cases {
		_, err := d.expire(ctx, c.ID, now, ReasonIdentityChanged, false, nil)
		switch {
		case err == nil:
			ids = append(ids, c.ID)
		case errors.Is(err, ErrIllegalTransition):
		default:
			errs = append(errs, err)
		}
	}
	return ids, errors.Join(errs...)
}

func (d *Desk) expire(ctx context.Context, id string, now time.Time, reason verify.Reason, onlyDue bool, rep *SweepReport) (*Case, error) {
	return d.commitCounted(ctx, id, now, rep, func(c *Case, w *write) error {
		if onlyDue && (c.State != StateApproved || c.ValidUntil.After(now)) {
			return errSkip
		}
		c.Reasons = []verify.Reason{reason}
		return d.step(c, EventExpire, actorSystem, c.Reasons, now, w)
	})
}

// DueForReview lists the certifications due for re-review at now: approved cases whose
// validity has ended (Sweep expires them) and expired cases awaiting re-application, in
// ID order.
func (d *Desk) DueForReview(ctx context.Context, now time.Time) ([]*Case, error) {
	approved, err := d.cfg.Store.List(ctx, Query{States: []State{StateApproved}, WakeBefore: now})
	if err != nil {
		return nil, unavailable("Store", err)
	}
	expired, err := d.cfg.Store.List(ctx, Query{States: []State{StateExpired}})
	if err != nil {
		return nil, unavailable("Store", err)
	}
	out := expired
	for _, c := range approved {
		if !c.ValidUntil.After(now) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *Case) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
