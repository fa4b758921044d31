package review

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// AutoChecker runs the automatic checks of an application and returns the verify
// decision: a clear pass or fail may close the case without a reviewer (see
// Config.AutoApprove and Config.AutoReject); anything else goes to a reviewer. An error
// is a system failure: the case stays in StateChecking and the next [Desk.Sweep] runs
// the check again. The application must not be modified.
type AutoChecker interface {
	Check(ctx context.Context, app *Application) (verify.Decision, error)
}

// AutoCheckFunc adapts a function to [AutoChecker].
type AutoCheckFunc func(ctx context.Context, app *Application) (verify.Decision, error)

// Check calls f.
func (f AutoCheckFunc) Check(ctx context.Context, app *Application) (verify.Decision, error) {
	return f(ctx, app)
}

// Escalation says what [Desk.Sweep] does with a case whose reviewer missed the deadline.
type Escalation uint8

// Escalation modes.
const (
	// EscalateReassign (default): assign another eligible reviewer with a fresh
	// deadline; when none is free, flag the case as overdue.
	EscalateReassign Escalation = iota
	// EscalateFlag: only flag the case as overdue (Case.Overdue) for a supervisor.
	EscalateFlag
)

// Config configures a [Desk]. Zero values take the defaults noted.
type Config struct {
	// Store keeps cases. Default: NewMemoryStore().
	Store Store
	// AttemptStore counts applications per applicant under ApplicationLimit. Default:
	// store.NewMemoryAttemptStore().
	AttemptStore store.AttemptStore
	// ApplicationLimit limits applications (first submissions and re-applications)
	// per applicant. Default: 5 per 30 days, no extra lock-out.
	//
	// It counts applications, whatever their outcome: an approval does not reset the
	// count, so an approved applicant who applies again (another certification type, or
	// after an expiry) uses the same allowance. The limit bounds the work an applicant
	// can cause reviewers and the registry; resetting it on success would let a
	// certified account be used to flood the desk.
	ApplicationLimit store.AttemptRule
	// RejectCooloff is how long an applicant must wait after a rejection before
	// applying again. Default: 24h; negative disables it.
	RejectCooloff time.Duration
	// MaxDrafts caps the open drafts (cases in StateDraft) of one applicant: a
	// [Desk.Draft] beyond it is refused with an error matching [ErrTooManyDrafts] until
	// a draft is submitted or withdrawn. Drafts are not counted against
	// ApplicationLimit, so without a cap an applicant could grow the Store without
	// limit. Default: 3; it must not be negative.
	MaxDrafts int
	// Checker runs the automatic checks. Nil: every case goes to a reviewer.
	Checker AutoChecker
	// AutoApprove closes a case on a clear pass without a reviewer; AutoReject closes
	// it on a clear fail. Both default to false: a human confirms.
	AutoApprove, AutoReject bool
	// Reviewers is the initial reviewer roster; see [Desk.SetReviewers].
	Reviewers []Reviewer
	// Policy chooses among eligible reviewers. Default: LeastLoaded{}.
	Policy AssignPolicy
	// ReviewTime is the reviewer's deadline from assignment or resubmission.
	// Default: 72h.
	ReviewTime time.Duration
	// SupplementTime is the applicant's deadline to supplement material; a case not
	// supplemented in time is rejected (supplement_overdue). Default: 7 days.
	SupplementTime time.Duration
	// Validity is how long a certification lasts before periodic re-review.
	// Default: 365 days.
	Validity time.Duration
	// Escalation is what happens when a reviewer misses the deadline.
	Escalation Escalation
	// Notifier delivers notices. Default: NewMemoryNotifier() (records only).
	Notifier Notifier
	// ClaimTTL is how long a notice being delivered is reserved for one process
	// before another Sweep may send it. Default: 1 minute.
	ClaimTTL time.Duration
	// Now is the clock. Default: time.Now.
	Now func() time.Time
	// Rand is the source of case IDs. Default: crypto/rand.Reader.
	Rand io.Reader
	// Logger receives warnings (notifier failures, failed sweeps) without personal
	// data. Default: discard.
	Logger *slog.Logger
}

// Desk runs the certification workflow. It is safe for concurrent use; all state is in
// the Store, so several Desks (processes) may share one Store.
type Desk struct {
	cfg       Config
	mu        sync.RWMutex
	reviewers []Reviewer
	// draftMu serialises the count-then-create of drafts per applicant (striped by a
	// hash of the reference) so that one Desk never exceeds Config.MaxDrafts.
	draftMu [16]sync.Mutex
}

// New validates cfg, fills defaults and returns a Desk.
func New(cfg Config) (*Desk, error) {
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore()
	}
	if cfg.AttemptStore == nil {
		cfg.AttemptStore = store.NewMemoryAttemptStore()
	}
	if cfg.ApplicationLimit == (store.AttemptRule{}) {
		cfg.ApplicationLimit = store.AttemptRule{Limit: 5, Window: 30 * 24 * time.Hour}
	}
	if err := cfg.ApplicationLimit.Validate(); err != nil {
		return nil, fmt.Errorf("review: ApplicationLimit: %v: %w", err, ErrInvalidArgument)
	}
	if cfg.RejectCooloff == 0 {
		cfg.RejectCooloff = 24 * time.Hour
	}
	if cfg.MaxDrafts == 0 {
		cfg.MaxDrafts = 3
	}
	if cfg.MaxDrafts < 0 {
		return nil, fmt.Errorf("review: MaxDrafts must not be negative: %w", ErrInvalidArgument)
	}
	if cfg.Policy == nil {
		cfg.Policy = LeastLoaded{}
	}
	for _, d := range []struct {
		p   *time.Duration
		def time.Duration
	}{{&cfg.ReviewTime, 72 * time.Hour}, {&cfg.SupplementTime, 7 * 24 * time.Hour},
		{&cfg.Validity, 365 * 24 * time.Hour}, {&cfg.ClaimTTL, time.Minute}} {
		if *d.p == 0 {
			*d.p = d.def
		}
		if *d.p < 0 {
			return nil, fmt.Errorf("review: durations must not be negative: %w", ErrInvalidArgument)
		}
	}
	if cfg.Escalation > EscalateFlag {
		return nil, fmt.Errorf("review: unknown escalation mode: %w", ErrInvalidArgument)
	}
	if cfg.Notifier == nil {
		cfg.Notifier = NewMemoryNotifier()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	d := &Desk{cfg: cfg}
	if err := d.SetReviewers(cfg.Reviewers); err != nil {
		return nil, err
	}
	return d, nil
}

// SetReviewers replaces the reviewer roster. Cases already assigned keep their reviewer.
func (d *Desk) SetReviewers(rs []Reviewer) error {
	if err := validateReviewers(rs); err != nil {
		return err
	}
	cp := make([]Reviewer, len(rs))
	for i, r := range rs {
		r.Conflicts = slices.Clone(r.Conflicts)
		cp[i] = r
	}
	d.mu.Lock()
	d.reviewers = cp
	d.mu.Unlock()
	return nil
}

const actorSystem = "system"

func applicantActor(ref string) string { return "applicant:" + ref }
func reviewerActor(id string) string   { return "reviewer:" + id }

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func (d *Desk) newID() (string, error) {
	var b [15]byte
	if _, err := io.ReadFull(d.cfg.Rand, b[:]); err != nil {
		return "", fmt.Errorf("review: random case ID: %w", err)
	}
	return "rv-" + idEncoding.EncodeToString(b[:]), nil
}

// step applies ev to c at now: checks the transition, appends the audit record and
// queues the notice the event raises (claimed by this process for ClaimTTL). Fields the
// notice reports (Deadline, ValidUntil, Reasons) must be set before.
func (d *Desk) step(c *Case, ev Event, actor string, reasons []verify.Reason, now time.Time, fresh *[]string) error {
	to, err := Next(c.State, ev)
	if err != nil {
		return err
	}
	c.State = to
	d.record(c, ev, actor, reasons, now, fresh)
	return nil
}

func (d *Desk) record(c *Case, ev Event, actor string, reasons []verify.Reason, now time.Time, fresh *[]string) {
	c.History = appendRecord(c.History, Record{Time: now, Actor: actor, Action: ev.String(), Case: c.ID,
		State: c.State, Reasons: slices.Clone(reasons), Materials: materialsDigest(c.Application.Materials)})
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
	n.Title, n.Body = noticeText(k, c.ID, n.Reasons, deadline)
	c.Outbox = append(c.Outbox, n)
	*fresh = append(*fresh, n.Key)
}

// errSkip tells update that the mutation has nothing to do.
var errSkip = errors.New("review: nothing to do")

const maxConflictRetries = 16

// update reads case id, applies fn and writes it back, retrying on a version conflict
// so that concurrent transitions never lose updates (fn re-checks the state on every
// try). It returns the written case and the keys of the notices fn raised.
func (d *Desk) update(ctx context.Context, id string, now time.Time, fn func(c *Case, fresh *[]string) error) (*Case, []string, error) {
	for i := 0; ; i++ {
		c, err := d.get(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		var fresh []string
		if err := fn(c, &fresh); err != nil {
			return c, nil, err
		}
		c.Version++
		c.Updated = now.UTC()
		c.computeWake(now)
		err = d.cfg.Store.Put(ctx, c)
		if err == nil {
			return c, fresh, nil
		}
		if !errors.Is(err, ErrVersionConflict) || i == maxConflictRetries {
			return nil, nil, fmt.Errorf("review: store put: %w", err)
		}
	}
}

func (d *Desk) get(ctx context.Context, id string) (*Case, error) {
	c, err := d.cfg.Store.Get(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("review: store get: %w", err)
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
		nc, _, err := d.update(ctx, c.ID, now, func(c *Case, _ *[]string) error {
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
func (d *Desk) commit(ctx context.Context, id string, now time.Time, fn func(c *Case, fresh *[]string) error) (*Case, error) {
	return d.commitCounted(ctx, id, now, nil, fn)
}

// commitCounted is commit that also adds the deliveries to rep (when not nil), so that
// a Sweep counts the notices its own steps raise.
func (d *Desk) commitCounted(ctx context.Context, id string, now time.Time, rep *SweepReport, fn func(c *Case, fresh *[]string) error) (*Case, error) {
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

// Draft creates a case in StateDraft for app. Materials may still be missing; they are
// required by [Desk.Submit]. Drafts are not counted against the rate limit, but an
// applicant may hold at most Config.MaxDrafts open drafts: beyond that Draft fails with
// an error matching [ErrTooManyDrafts]. Within one Desk the count and the creation are
// atomic; Desks in several processes sharing a Store may each create one draft from
// the same count, so together they can exceed the cap by one per additional Desk.
func (d *Desk) Draft(ctx context.Context, app Application) (*Case, error) {
	if err := app.validate(false); err != nil {
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
		return nil, fmt.Errorf("review: %d open drafts (limit %d): %w", open, d.cfg.MaxDrafts, ErrTooManyDrafts)
	}
	now := d.cfg.Now()
	c, err := d.newDraft(app, now)
	if err != nil {
		return nil, err
	}
	if err := d.cfg.Store.Put(ctx, c); err != nil {
		return nil, fmt.Errorf("review: store put: %w", err)
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

// newDraft builds a new case in StateDraft (Version 1) with its first audit record.
func (d *Desk) newDraft(app Application, now time.Time) (*Case, error) {
	id, err := d.newID()
	if err != nil {
		return nil, err
	}
	c := &Case{ID: id, Version: 1, State: StateDraft, Created: now.UTC(), Updated: now.UTC()}
	c.Application = app
	c.Application.Materials = slices.Clone(app.Materials)
	var fresh []string
	d.record(c, EventDraft, applicantActor(app.Applicant), nil, now, &fresh)
	c.computeWake(now)
	return c, nil
}

// Apply creates and submits an application in one call, with the same audit trail as
// [Desk.Draft] then [Desk.Submit]. The cool-off and the rate limit are checked first,
// so a refused application leaves no case behind; an accepted one is written once,
// already submitted, and does not count against Config.MaxDrafts.
func (d *Desk) Apply(ctx context.Context, app Application) (*Case, error) {
	if err := app.validate(true); err != nil {
		return nil, err
	}
	now := d.cfg.Now()
	if err := d.admit(ctx, app.Applicant, now); err != nil {
		return nil, err
	}
	c, err := d.newDraft(app, now)
	if err != nil {
		return nil, err
	}
	var fresh []string
	if err := d.step(c, EventSubmit, applicantActor(app.Applicant), nil, now, &fresh); err != nil {
		return nil, err
	}
	c.Attempt++
	if err := d.step(c, EventCheck, actorSystem, nil, now, &fresh); err != nil {
		return nil, err
	}
	c.computeWake(now)
	if err := d.cfg.Store.Put(ctx, c); err != nil {
		return nil, fmt.Errorf("review: store put: %w", err)
	}
	c, _, _ = d.deliver(ctx, c, fresh, now)
	c, _, err = d.process(ctx, c, now, nil)
	return c, err
}

// admit enforces the cool-off after a rejection (from the applicant's case history)
// and then counts the application atomically against ApplicationLimit.
func (d *Desk) admit(ctx context.Context, applicant string, now time.Time) error {
	if d.cfg.RejectCooloff > 0 {
		cases, err := d.cfg.Store.List(ctx, Query{Applicant: applicant})
		if err != nil {
			return fmt.Errorf("review: store list: %w", err)
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
			return &LimitError{Err: ErrCoolingOff, RetryAt: retry}
		}
	}
	res, err := d.cfg.AttemptStore.Take(ctx, "review/apply/"+applicant, now, d.cfg.ApplicationLimit)
	if err != nil {
		return fmt.Errorf("review: attempt store: %w", err)
	}
	if !res.Allowed {
		return &LimitError{Err: ErrRateLimited, RetryAt: res.RetryAt}
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
		return nil, ErrNotFound
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
	c, err = d.commit(ctx, id, now, func(c *Case, fresh *[]string) error {
		if c.Application.Applicant != applicant {
			return ErrNotFound
		}
		if err := d.step(c, EventSubmit, applicantActor(applicant), nil, now, fresh); err != nil {
			return err
		}
		c.Attempt++
		return d.step(c, EventCheck, actorSystem, nil, now, fresh)
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
// is not assigned again.
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
		return nil, fmt.Errorf("review: re-application must keep the certification type: %w", ErrInvalidArgument)
	}
	if err := d.admit(ctx, app.Applicant, now); err != nil {
		return nil, err
	}
	c, err = d.commit(ctx, id, now, func(c *Case, fresh *[]string) error {
		if c.Application.Applicant != app.Applicant {
			return ErrNotFound
		}
		c.Application = app
		c.Application.Materials = slices.Clone(app.Materials)
		if err := d.step(c, EventReapply, applicantActor(app.Applicant), nil, now, fresh); err != nil {
			return err
		}
		c.Attempt++
		c.Check, c.Reasons, c.Note, c.Reviewer = nil, nil, "", ""
		c.Deadline, c.ValidUntil, c.Overdue = time.Time{}, time.Time{}, false
		return d.step(c, EventCheck, actorSystem, nil, now, fresh)
	})
	if err != nil {
		return nil, err
	}
	c, _, err = d.process(ctx, c, now, nil)
	return c, err
}

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
		got, err := d.cfg.Checker.Check(ctx, &app)
		if err != nil {
			return c, false, fmt.Errorf("review: automatic check: %w", err)
		}
		dec = &got
	}
	attempt := c.Attempt
	nc, err := d.commitCounted(ctx, c.ID, now, rep, func(c *Case, fresh *[]string) error {
		assigned = false
		if c.State != StateChecking || c.Attempt != attempt {
			return errSkip
		}
		if dec != nil && c.Check == nil {
			closed, err := d.applyCheck(c, *dec, now, fresh)
			if err != nil || closed {
				return err
			}
		} else if c.Check == nil && d.cfg.Checker != nil {
			return errSkip
		}
		id, err := d.pick(ctx, c, "")
		if errors.Is(err, ErrNoReviewer) {
			if dec == nil {
				return errSkip
			}
			return nil // keep the check result; wait for a reviewer
		}
		if err != nil {
			return err
		}
		c.Reviewer = id
		c.Deadline = now.Add(d.cfg.ReviewTime).UTC()
		c.Overdue = false
		assigned = true
		return d.step(c, EventAssign, actorSystem, nil, now, fresh)
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
func (d *Desk) applyCheck(c *Case, dec verify.Decision, now time.Time, fresh *[]string) (bool, error) {
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
		return true, d.step(c, EventCheckPass, actorSystem, reasons, now, fresh)
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
		return true, d.step(c, EventCheckFail, actorSystem, fails, now, fresh)
	}
	rec := append([]verify.Reason{verify.Reason("outcome_" + dec.Outcome.String())}, reasons...)
	if !reasonCode.MatchString(string(rec[0])) {
		rec[0] = "outcome_invalid"
	}
	return false, d.step(c, EventCheckReview, actorSystem, rec, now, fresh)
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
		return "", ErrNoReviewer
	}
	id, err := d.cfg.Policy.Choose(ctx, c, slices.Clone(cands))
	if err != nil {
		return "", fmt.Errorf("review: assignment policy: %w", err)
	}
	if !slices.ContainsFunc(cands, func(x Candidate) bool { return x.ID == id }) {
		return "", ErrIneligibleReviewer
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
		return "", fmt.Errorf("review: store list: %w", err)
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
			return 0, fmt.Errorf("review: store count: %w", err)
		}
		return n, nil
	}
	cases, err := d.cfg.Store.List(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("review: store list: %w", err)
	}
	return len(cases), nil
}

// applicantStep performs an applicant's transition on their own case.
func (d *Desk) applicantStep(ctx context.Context, applicant, id string, fn func(c *Case, now time.Time, fresh *[]string) error) (*Case, error) {
	now := d.cfg.Now()
	return d.commit(ctx, id, now, func(c *Case, fresh *[]string) error {
		if c.Application.Applicant != applicant {
			return ErrNotFound
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
// [*TransitionError] from StateRejected.
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
		return nil, &TransitionError{From: StateRejected, Event: EventResubmit}
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
			return ErrNotAssigned
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
		return fmt.Errorf("review: note longer than %d bytes: %w", maxNote, ErrInvalidArgument)
	}
	return nil
}

// Case returns the case with that ID.
func (d *Desk) Case(ctx context.Context, id string) (*Case, error) { return d.get(ctx, id) }

// IdentityChanged reports that the applicant's identity data changed (from wallet or
// the host): every approved certification of the applicant expires with reason
// identity_changed, the applicant is notified, and re-certification is opened (the
// applicant re-applies with [Desk.Reapply]). It returns the IDs of the expired cases.
func (d *Desk) IdentityChanged(ctx context.Context, applicant string) ([]string, error) {
	now := d.cfg.Now()
	cases, err := d.cfg.Store.List(ctx, Query{Applicant: applicant, States: []State{StateApproved}})
	if err != nil {
		return nil, fmt.Errorf("review: store list: %w", err)
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
	return d.commitCounted(ctx, id, now, rep, func(c *Case, fresh *[]string) error {
		if onlyDue && (c.State != StateApproved || c.ValidUntil.After(now)) {
			return errSkip
		}
		c.Reasons = []verify.Reason{reason}
		return d.step(c, EventExpire, actorSystem, c.Reasons, now, fresh)
	})
}

// DueForReview lists the certifications due for re-review at now: approved cases whose
// validity has ended (Sweep expires them) and expired cases awaiting re-application, in
// ID order.
func (d *Desk) DueForReview(ctx context.Context, now time.Time) ([]*Case, error) {
	approved, err := d.cfg.Store.List(ctx, Query{States: []State{StateApproved}, WakeBefore: now})
	if err != nil {
		return nil, fmt.Errorf("review: store list: %w", err)
	}
	expired, err := d.cfg.Store.List(ctx, Query{States: []State{StateExpired}})
	if err != nil {
		return nil, fmt.Errorf("review: store list: %w", err)
	}
	out := expired
	for _, c := range approved {
		if !c.ValidUntil.After(now) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *Case) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out, nil
}
