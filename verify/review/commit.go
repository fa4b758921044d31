package review

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// write is what one try of a case update collects besides the case itself.
type write struct {
	// fresh holds the keys of the notices the update raised, to deliver once written.
	fresh []string
	// capacity is set when the update assigns the case to c.Reviewer: the write then
	// reserves one of the reviewer's capacity slots (Store.PutAssigned).
	capacity int
}

// step applies ev to c at now: checks the transition, appends the audit record and
// queues the notice the event raises (claimed by this process for ClaimTTL). Fields the
// notice reports (Deadline, ValidUntil, Reasons) must be set before.
func (d *Desk) step(c *Case, ev Event, actor string, reasons []verify.Reason, now time.Time, w *write) error {
	return d.stepLevel(c, ev, actor, reasons, verify.LevelNone, now, w)
}

// stepLevel is step for a record that states a level (an approval with a referee's
// decision).
func (d *Desk) stepLevel(c *Case, ev Event, actor string, reasons []verify.Reason, level verify.Level, now time.Time, w *write) error {
	to, err := Next(c.State, ev)
	if err != nil {
		return err
	}
	c.State = to
	d.record(c, ev, actor, reasons, level, now, w)
	return nil
}

func (d *Desk) record(c *Case, ev Event, actor string, reasons []verify.Reason, level verify.Level, now time.Time, w *write) {
	c.History = appendRecord(c.History, AuditRecord{Time: now, Actor: actor, Action: ev.String(), Case: c.ID,
		State: c.State, Reasons: slices.Clone(reasons), Level: level, HashAlg: d.cfg.AuditHash,
		Materials: materialsDigestWith(d.cfg.AuditHash, c.Application.Materials)})
	k := noticeFor(ev)
	if k == 0 {
		return
	}
	var deadline time.Time
	switch k {
	case NoticeSupplementRequested:
		deadline = c.Deadline
	case NoticeApproved:
		deadline = c.ValidUntil
	}
	n := Notice{Key: c.ID + "/" + strconv.FormatUint(uint64(len(c.History)), 10), Kind: k, Case: c.ID,
		Applicant: c.Application.Applicant, Deadline: deadline, Created: now.UTC(),
		ClaimedUntil: now.Add(d.cfg.ClaimTTL).UTC()}
	if k != NoticeSubmitted && k != NoticeApproved {
		n.Reasons = slices.Clone(reasons)
	}
	if k == NoticeApproved && ev == EventApprove && c.Approval != nil {
		n.Decision = c.Approval.Token
	}
	n.Title, n.Body = noticeText(k, c.ID, n.Reasons, deadline)
	c.Outbox = append(c.Outbox, n)
	w.fresh = append(w.fresh, n.Key)
}

// errSkip tells update that the mutation has nothing to do.
var errSkip = errors.New("review: nothing to do")

// update reads case id, applies fn and writes it back, retrying on a version conflict
// (up to Config.MaxRetries times) so that concurrent transitions never lose updates (fn
// re-checks the state on every try). When fn assigns a reviewer, the write reserves the
// reviewer's slot atomically (see [Store]); a write refused because the reviewer filled
// up since fn counted the loads is retried too, so that fn chooses again from fresh
// loads: at most once per reviewer on the roster plus Config.MaxRetries times, after
// which update fails with ErrNoReviewer. It returns the written case and the keys of
// the notices fn raised.
func (d *Desk) update(ctx context.Context, id string, now time.Time, fn func(c *Case, w *write) error) (*Case, []string, error) {
	conflicts, full := 0, 0
	for {
		c, err := d.get(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		var w write
		if err := fn(c, &w); err != nil {
			return c, nil, err
		}
		c.Updated = now.UTC()
		c.computeWake(now)
		err = d.put(ctx, c, w.capacity)
		switch {
		case err == nil:
			return c, w.fresh, nil
		case errors.Is(err, store.ErrConflict) && conflicts < d.cfg.MaxRetries:
			conflicts++
		case w.capacity > 0 && errors.Is(err, ErrNoReviewer) && full < d.rosterSize()+d.cfg.MaxRetries:
			full++
		default:
			return nil, nil, err
		}
	}
}

// put writes c with [Store.Put], or with [Store.PutAssigned] when capacity is not zero,
// and sets c.Version to the version stored. A lost race is an [*Error] with
// ReasonConflict (matching store.ErrConflict), a reviewer found full one with
// ReasonNoReviewer, any other failure one with ReasonUnavailable.
func (d *Desk) put(ctx context.Context, c *Case, capacity int) error {
	var v uint64
	var err error
	if capacity > 0 {
		v, err = d.cfg.Store.PutAssigned(ctx, c, capacity)
	} else {
		v, err = d.cfg.Store.Put(ctx, c)
	}
	switch {
	case err == nil:
		c.Version = v
		return nil
	case errors.Is(err, store.ErrConflict):
		return &Error{Reason: ReasonConflict, Field: "Store", Err: err}
	case capacity > 0 && errors.Is(err, ErrNoReviewer):
		return refusal(ReasonNoReviewer)
	}
	return unavailable("Store", err)
}

func (d *Desk) get(ctx context.Context, id string) (*Case, error) {
	c, err := d.cfg.Store.Get(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, refusal(ReasonNotFound)
		}
		return nil, unavailable("Store", err)
	}
	return c, nil
}

// deliver sends the notices with the given keys (already claimed by this process) and
// records the outcome. It returns the latest case it wrote, or c.
func (d *Desk) deliver(ctx context.Context, c *Case, keys []string, now time.Time) (*Case, int, int) {
	sent, failed := 0, 0
	for _, key := range keys {
		i := slices.IndexFunc(c.Outbox, func(n Notice) bool { return n.Key == key })
		if i < 0 {
			continue
		}
		nerr := d.cfg.Notifier.Notify(ctx, c.Outbox[i])
		if nerr != nil {
			failed++
			d.cfg.Logger.WarnContext(ctx, "review: notifier failed; will retry on sweep",
				slog.String("case", c.ID), slog.String("notice", key), slog.String("kind", c.Outbox[i].Kind.String()))
		} else {
			sent++
		}
		nc, _, err := d.update(ctx, c.ID, now, func(c *Case, _ *write) error {
			j := slices.IndexFunc(c.Outbox, func(n Notice) bool { return n.Key == key })
			if j < 0 || !c.Outbox[j].Delivered.IsZero() {
				return errSkip
			}
			if nerr == nil {
				c.Outbox[j].Delivered = now.UTC()
			} else {
				c.Outbox[j].Attempts++
			}
			c.Outbox[j].ClaimedUntil = time.Time{}
			return nil
		})
		if err == nil {
			c = nc
		} else if !errors.Is(err, errSkip) {
			d.cfg.Logger.WarnContext(ctx, "review: recording notice delivery failed",
				slog.String("case", c.ID), slog.String("notice", key), slog.Any("error", err))
		}
	}
	return c, sent, failed
}

// commit runs update and then delivers the notices it raised.
func (d *Desk) commit(ctx context.Context, id string, now time.Time, fn func(c *Case, w *write) error) (*Case, error) {
	return d.commitCounted(ctx, id, now, nil, fn)
}

// commitCounted is commit that also adds the deliveries to rep (when not nil), so that
// a Sweep counts the notices its own steps raise.
func (d *Desk) commitCounted(ctx context.Context, id string, now time.Time, rep *SweepReport, fn func(c *Case, w *write) error) (*Case, error) {
	c, fresh, err := d.update(ctx, id, now, fn)
	if err != nil {
		return nil, err
	}
	c, sent, failed := d.deliver(ctx, c, fresh, now)
	if rep != nil {
		rep.Delivered += sent
		rep.Failed += failed
	}
	return c, nil
}
