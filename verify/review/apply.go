package review

import (
	"context"
	"slices"
	"time"

	"github.com/trustid/trustid/verify"
)

// Draft creates a case in StateDraft for app. Materials may still be missing; they are
// required by [Desk.Submit]. A journey decision app carries is opened now, as
// [Desk.Apply] opens it, and kept for the submission. Drafts are not counted against the rate limit, but an
// applicant may hold at most Config.MaxDrafts open drafts: beyond that Draft fails with
// an error matching [ErrTooManyDrafts]. Within one Desk the count and the creation are
// atomic; Desks in several processes sharing a Store may each create one draft from
// the same count, so together they can exceed the cap by one per additional Desk.
func (d *Desk) Draft(ctx context.Context, app Application) (*Case, error) {
	if err := app.validate(false); err != nil {
		return nil, err
	}
	now := d.cfg.Now()
	j, err := d.journeyOf(app, now)
	if err != nil {
		return nil, err
	}
	mu := &d.draftMu[fnv32(app.Applicant)%uint32(len(d.draftMu))]
	mu.Lock()
	defer mu.Unlock()
	open, err := d.count(ctx, Query{Applicant: app.Applicant, States: []State{StateDraft}})
	if err != nil {
		return nil, err
	}
	if open >= d.cfg.MaxDrafts {
		return nil, refusal(ReasonTooManyDrafts)
	}
	c, err := d.newDraft(app, j, now)
	if err != nil {
		return nil, err
	}
	if err := d.put(ctx, c, 0); err != nil {
		return nil, err
	}
	return c, nil
}

// fnv32 is FNV-1a, used to pick a lock stripe.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// journeyOf opens the journey decision app carries (nil when it carries none). For a
// personal certification the decision must be about the claimed person
// (verify.Decision.IsPerson of Claimed.Number): otherwise an applicant could attach the
// journey of another person — a victim whose number and name leaked, whose face did not
// match — to an application for themselves, and the reviewer's approval would be a pass
// about the victim.
func (d *Desk) journeyOf(app Application, now time.Time) (*opened, error) {
	if app.Decision == "" {
		return nil, nil
	}
	o, err := d.openDecision(app.Decision, now)
	if err != nil {
		return nil, err
	}
	if app.Type == CertPersonal && !o.person.IsPerson(app.Claimed.Number) {
		return nil, invalid("Decision", "the decision is not about the claimed person")
	}
	return o, nil
}

// newDraft builds a new case in StateDraft (Version 0: not stored yet) with its first
// audit record, holding j (the opened app.Decision, or nil) for the first attempt.
func (d *Desk) newDraft(app Application, j *opened, now time.Time) (*Case, error) {
	c := &Case{ID: newID(), State: StateDraft, Created: now.UTC(), Updated: now.UTC()}
	c.Application = app
	c.Application.Materials = slices.Clone(app.Materials)
	var err error
	if c.Journey, err = d.hold(j, c.ID, 1); err != nil {
		return nil, err
	}
	var w write // a draft raises no notice
	d.record(c, EventDraft, applicantActor(app.Applicant), nil, verify.LevelNone, now, &w)
	c.computeWake(now)
	return c, nil
}

// Apply creates and submits an application in one call, with the same audit trail as
// [Desk.Draft] then [Desk.Submit]. The cool-off and the rate limit are checked first,
// so a refused application leaves no case behind; an accepted one is written once,
// already submitted, and does not count against Config.MaxDrafts. A journey decision
// the application carries (Application.Decision) is opened before anything is counted:
// one that does not authenticate is refused with an [*Error] matching [ErrNotAuthentic],
// an expired one with [ErrExpired], one no reviewer can accept with
// [ErrInvalidArgument] (see [Application]).
func (d *Desk) Apply(ctx context.Context, app Application) (*Case, error) {
	if err := app.validate(true); err != nil {
		return nil, err
	}
	now := d.cfg.Now()
	j, err := d.journeyOf(app, now)
	if err != nil {
		return nil, err
	}
	if err := d.admit(ctx, app.Applicant, now); err != nil {
		return nil, err
	}
	c, err := d.newDraft(app, j, now)
	if err != nil {
		return nil, err
	}
	var w write
	if err := d.step(c, EventSubmit, applicantActor(app.Applicant), nil, now, &w); err != nil {
		return nil, err
	}
	c.Attempt++
	if err := d.step(c, EventCheck, actorSystem, nil, now, &w); err != nil {
		return nil, err
	}
	c.computeWake(now)
	if err := d.put(ctx, c, 0); err != nil {
		return nil, err
	}
	c, _, _ = d.deliver(ctx, c, w.fresh, now)
	c, _, err = d.process(ctx, c, now, nil)
	return c, err
}

// admit enforces the cool-off after a rejection (from the applicant's case history)
// and then counts the application atomically against ApplicationLimit.
func (d *Desk) admit(ctx context.Context, applicant string, now time.Time) error {
	if d.cfg.RejectCooloff > 0 {
		cases, err := d.cfg.Store.List(ctx, Query{Applicant: applicant})
		if err != nil {
			return unavailable("Store", err)
		}
		var retry time.Time
		for _, c := range cases {
			if c.RejectedAt.IsZero() {
				continue
			}
			if t := c.RejectedAt.Add(d.cfg.RejectCooloff); t.After(now) && t.After(retry) {
				retry = t
			}
		}
		if !retry.IsZero() {
			return lockedOut(ReasonCoolingOff, retry)
		}
	}
	res, err := d.cfg.AttemptStore.Take(ctx, "review/apply/"+applicant, now, d.cfg.ApplicationLimit)
	if err != nil {
		return unavailable("AttemptStore", err)
	}
	if !res.Allowed {
		return lockedOut(ReasonRateLimited, res.RetryAt)
	}
	return nil
}

// preflight loads the case for an applicant action, checks ownership and that ev is
// legal now, so that a doomed request does not use up a rate-limit attempt.
func (d *Desk) preflight(ctx context.Context, applicant, id string, ev Event) (*Case, error) {
	c, err := d.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Application.Applicant != applicant {
		return nil, refusal(ReasonNotFound)
	}
	if _, err := Next(c.State, ev); err != nil {
		return nil, err
	}
	return c, nil
}

// Submit submits a draft: the attempt is counted (cool-off and rate limit first), the
// automatic checks run and the case is closed or assigned to a reviewer. The returned
// case shows where it ended. When the AutoChecker or the AssignPolicy fails the
// submission still stands: the case is returned in StateChecking together with the
// error, and the next [Desk.Sweep] tries again.
func (d *Desk) Submit(ctx context.Context, applicant, id string) (*Case, error) {
	now := d.cfg.Now()
	c, err := d.preflight(ctx, applicant, id, EventSubmit)
	if err != nil {
		return nil, err
	}
	if err := c.Application.validate(true); err != nil {
		return nil, err
	}
	if err := d.admit(ctx, applicant, now); err != nil {
		return nil, err
	}
	c, err = d.commit(ctx, id, now, func(c *Case, w *write) error {
		if c.Application.Applicant != applicant {
			return refusal(ReasonNotFound)
		}
		if err := d.step(c, EventSubmit, applicantActor(applicant), nil, now, w); err != nil {
			return err
		}
		c.Attempt++
		return d.step(c, EventCheck, actorSystem, nil, now, w)
	})
	if err != nil {
		return nil, err
	}
	c, _, err = d.process(ctx, c, now, nil)
	return c, err
}

// Reapply starts a new attempt on a rejected or expired case with a corrected
// application (same applicant and type). It is counted like a new application and waits
// for the cool-off after a rejection. The reviewer who rejected the previous attempt
// is not assigned again. The previous attempt's journey and approval are dropped; a
// journey decision the new application carries is opened as [Desk.Apply] opens it.
func (d *Desk) Reapply(ctx context.Context, id string, app Application) (*Case, error) {
	now := d.cfg.Now()
	if err := app.validate(true); err != nil {
		return nil, err
	}
	c, err := d.preflight(ctx, app.Applicant, id, EventReapply)
	if err != nil {
		return nil, err
	}
	if c.Application.Type != app.Type {
		return nil, invalid("Type", "a re-application must keep the certification type")
	}
	j, err := d.journeyOf(app, now)
	if err != nil {
		return nil, err
	}
	if err := d.admit(ctx, app.Applicant, now); err != nil {
		return nil, err
	}
	c, err = d.commit(ctx, id, now, func(c *Case, w *write) error {
		if c.Application.Applicant != app.Applicant {
			return refusal(ReasonNotFound)
		}
		c.Application = app
		c.Application.Materials = slices.Clone(app.Materials)
		var err error
		if c.Journey, err = d.hold(j, c.ID, c.Attempt+1); err != nil {
			return err
		}
		c.Approval = nil
		if err := d.step(c, EventReapply, applicantActor(app.Applicant), nil, now, w); err != nil {
			return err
		}
		c.Attempt++
		c.Check, c.Reasons, c.Note, c.Reviewer = nil, nil, "", ""
		c.Deadline, c.ValidUntil, c.Overdue = time.Time{}, time.Time{}, false
		return d.step(c, EventCheck, actorSystem, nil, now, w)
	})
	if err != nil {
		return nil, err
	}
	c, _, err = d.process(ctx, c, now, nil)
	return c, err
}
