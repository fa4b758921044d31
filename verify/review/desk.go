package review

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// AutoChecker runs the automatic checks of an application and returns the verify
// decision: a clear pass or fail may close the case without a reviewer (see
// Config.AutoApprove and Config.AutoReject); anything else goes to a reviewer. journey is
// the journey decision the application carried, as the Desk authenticated it
// ([Journey.Decision]; its hidden person is not included), or nil when it carried none.
// An error is a system failure: the case stays in StateChecking and the next
// [Desk.Sweep] runs the check again. Neither argument may be modified.
type AutoChecker interface {
	Check(ctx context.Context, app *Application, journey *verify.Decision) (verify.Decision, error)
}

// AutoCheckFunc adapts a function to [AutoChecker].
type AutoCheckFunc func(ctx context.Context, app *Application, journey *verify.Decision) (verify.Decision, error)

// Check calls f.
func (f AutoCheckFunc) Check(ctx context.Context, app *Application, journey *verify.Decision) (verify.Decision, error) {
	return f(ctx, app, journey)
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
	// AttemptStore counts applications per applicant under ApplicationLimit; several
	// Desks sharing a Store must share it too. Default: store.NewMemoryAttemptStore().
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
	// Decisions opens the journey decisions applications carry (Application.Decision)
	// and seals the decision an approval yields (see [Desk.Approve]). Required when
	// applications carry decisions; it must hold the keys of the verify.Checker that
	// makes them (verify.Checker.Decisions, or verify.NewDecisionSealer with the same
	// keys), old keys included while cases opened under them are open.
	Decisions *verify.DecisionSealer
	// Keys seal the journey a case holds ([Journey].Seal) under the Desk's own key, so
	// that an approval never rests on journey fields edited in the Store (the first key
	// seals, every one opens). Required with Decisions; every Desk sharing a Store needs
	// them. Use keys of their own, not the verify keys.
	Keys []store.Key
	// DecisionValidity is how long the decision sealed at an approval is valid (its
	// ValidUntil is the approval time plus this). Default: [DefaultDecisionValidity]
	// (30 minutes); it must not be negative.
	DecisionValidity time.Duration
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
	// AuditHash names the hash of the audit chains the Desk writes: "" for SHA-256 (the
	// default), or a name registered with [RegisterAuditHash] ("sm3" once module smsuite
	// is imported). New refuses a name that is not registered. Every Desk sharing a
	// Store must use the same; [AuditRecord.HashAlg] records it.
	AuditHash string
	// Notifier delivers notices. Default: NewMemoryNotifier() (records only).
	Notifier Notifier
	// ClaimTTL is how long a notice being delivered is reserved for one process
	// before another Sweep may send it. Default: 1 minute.
	ClaimTTL time.Duration
	// MaxRetries is how many times a case write that lost a version conflict to a
	// concurrent writer is retried (read again, re-checked, written again) before the
	// operation fails with an error matching store.ErrConflict. Default: 3; it must not
	// be negative.
	MaxRetries int
	// Now is the clock. Default: time.Now.
	Now func() time.Time
	// Logger receives warnings (notifier failures, failed sweeps) without personal
	// data. Default: discard.
	Logger *slog.Logger
}

// Desk runs the certification workflow. It is safe for concurrent use; all state is in
// the Store, so several Desks (processes) may share one Store. A Desk is made by [New];
// its methods must not be called on a nil or zero Desk (they panic).
type Desk struct {
	cfg       Config
	journeys  *seal.Sealer // seals Case.Journey under Config.Keys; nil without Decisions
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
		return nil, &Error{Reason: ReasonInvalidArgument, Field: "ApplicationLimit", Err: err}
	}
	if cfg.RejectCooloff == 0 {
		cfg.RejectCooloff = 24 * time.Hour
	}
	if cfg.MaxDrafts == 0 {
		cfg.MaxDrafts = 3
	}
	if cfg.MaxDrafts < 0 {
		return nil, invalid("MaxDrafts", "must not be negative")
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	if cfg.MaxRetries < 0 {
		return nil, invalid("MaxRetries", "must not be negative")
	}
	if cfg.Policy == nil {
		cfg.Policy = LeastLoaded{}
	}
	if auditHash(cfg.AuditHash) == nil {
		return nil, invalid("AuditHash", "not registered")
	}
	for _, d := range []struct {
		field string
		p     *time.Duration
		def   time.Duration
	}{{"ReviewTime", &cfg.ReviewTime, 72 * time.Hour}, {"SupplementTime", &cfg.SupplementTime, 7 * 24 * time.Hour},
		{"Validity", &cfg.Validity, 365 * 24 * time.Hour}, {"ClaimTTL", &cfg.ClaimTTL, time.Minute},
		{"DecisionValidity", &cfg.DecisionValidity, DefaultDecisionValidity}} {
		if *d.p == 0 {
			*d.p = d.def
		}
		if *d.p < 0 {
			return nil, invalid(d.field, "must not be negative")
		}
	}
	if cfg.Escalation > EscalateFlag {
		return nil, invalid("Escalation", "unknown escalation mode")
	}
	if cfg.Notifier == nil {
		cfg.Notifier = NewMemoryNotifier()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	d := &Desk{cfg: cfg}
	if cfg.Decisions != nil {
		s, err := seal.New(journeyPurpose, cfg.Keys...)
		if err != nil {
			return nil, &Error{Reason: ReasonInvalidArgument, Field: "Keys", Err: err}
		}
		d.journeys = s
	}
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

// newID returns a random case ID: "rv-" and 120 bits from crypto/rand in 24 lower-case
// base32 letters.
func newID() string {
	var b [15]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return "rv-" + idEncoding.EncodeToString(b[:])
}

// Case returns the case with that ID.
func (d *Desk) Case(ctx context.Context, id string) (*Case, error) { return d.get(ctx, id) }
