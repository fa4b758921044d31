package liveness

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// PurposeBiometric is the purpose of a consent that covers the real-person check: the
// capture and 1:1 comparison of the face (separate consent for biometric data, GB/T
// 35273-2020 §5.4 and §5.6; explicit consent with a stored record, SP 800-63A-4 §3.11).
const PurposeBiometric = "biometric"

// Consent is the record of a person's consent: who gave it, for what, after seeing which
// text, when, and whether it was withdrawn.
type Consent struct {
	// ID is the store's reference, assigned by [ConsentStore.Record] (128 random bits).
	ID string
	// Subject is the opaque subject binding the consent was given for (the same value
	// as BeginRequest.Subject). Masked by String and LogValue.
	Subject string
	// Purpose is what the consent covers; Begin accepts only [PurposeBiometric].
	Purpose string
	// TextVersion names the consent text that was shown (for example "face-2026-11").
	TextVersion string
	// GivenAt is when the person consented.
	GivenAt time.Time
	// WithdrawnAt is when the consent was withdrawn; zero while it is in force.
	WithdrawnAt time.Time
}

// String masks the subject.
func (c Consent) String() string {
	return fmt.Sprintf("liveness.Consent{id=%s subject=%s purpose=%s text=%s given=%s withdrawn=%t}",
		c.ID, maskID(c.Subject), c.Purpose, c.TextVersion, c.GivenAt.Format(time.RFC3339), !c.WithdrawnAt.IsZero())
}

// LogValue masks the subject.
func (c Consent) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", c.ID), slog.String("subject", maskID(c.Subject)),
		slog.String("purpose", c.Purpose), slog.String("text_version", c.TextVersion),
		slog.Time("given_at", c.GivenAt), slog.Bool("withdrawn", !c.WithdrawnAt.IsZero()))
}

// ConsentStore records consents and their withdrawal. The host implements it around its
// consent records; [NewMemoryConsentStore] is the in-memory default, and
// livenesstest.RunConsentStore is the conformance suite an adapter runs.
//
// Errors are for system failures only: an unknown ID is found=false from Lookup and
// ErrInvalidArgument from Withdraw.
type ConsentStore interface {
	// Record stores c (its ID is ignored) under a new random ID and returns the ID. It
	// refuses (ErrInvalidArgument) a consent without a subject, purpose, text version or
	// time, or one already withdrawn.
	Record(ctx context.Context, c Consent) (id string, err error)
	// Lookup returns the consent with this ID; found is false for an unknown ID.
	Lookup(ctx context.Context, id string) (c Consent, found bool, err error)
	// Withdraw marks the consent withdrawn at at. Withdrawing twice keeps the first time.
	Withdraw(ctx context.Context, id string, at time.Time) error
}

// MemoryConsentStore is the in-memory [ConsentStore]: safe for concurrent use, lost on
// restart, local to one process.
type MemoryConsentStore struct {
	mu sync.Mutex
	m  map[string]Consent
}

// NewMemoryConsentStore returns an empty in-memory consent store.
func NewMemoryConsentStore() *MemoryConsentStore {
	return &MemoryConsentStore{m: make(map[string]Consent)}
}

// Record implements [ConsentStore].
func (s *MemoryConsentStore) Record(ctx context.Context, c Consent) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if c.Subject == "" || c.Purpose == "" || c.TextVersion == "" || c.GivenAt.IsZero() || !c.WithdrawnAt.IsZero() ||
		len(c.Subject) > maxField || len(c.Purpose) > maxField || len(c.TextVersion) > maxField {
		return "", &Error{Reason: ReasonInvalidArgument}
	}
	c.ID = rand.Text()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[c.ID] = c
	return c.ID, nil
}

// Lookup implements [ConsentStore].
func (s *MemoryConsentStore) Lookup(ctx context.Context, id string) (Consent, bool, error) {
	if err := ctx.Err(); err != nil {
		return Consent{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.m[id]
	return c, ok, nil
}

// Withdraw implements [ConsentStore].
func (s *MemoryConsentStore) Withdraw(ctx context.Context, id string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.m[id]
	if !ok || at.IsZero() {
		return &Error{Reason: ReasonInvalidArgument}
	}
	if c.WithdrawnAt.IsZero() {
		c.WithdrawnAt = at
		s.m[id] = c
	}
	return nil
}

// consentCovers reports whether c covers the biometric step of a session for subject at
// now: found, for this subject (constant time), for the biometric purpose, given no later
// than now and not withdrawn by now.
func consentCovers(c Consent, found bool, subject string, now time.Time) bool {
	return found && equalID(c.Subject, subject) && c.Purpose == PurposeBiometric &&
		!c.GivenAt.After(now) && (c.WithdrawnAt.IsZero() || now.Before(c.WithdrawnAt))
}

// checkConsent looks up id and reports whether it covers the session; an error is a
// store failure.
func (c *Challenger) checkConsent(ctx context.Context, id, subject string, now time.Time) (Consent, error) {
	if id == "" || len(id) > maxField {
		return Consent{}, &Error{Reason: ReasonConsentRequired}
	}
	rec, found, err := c.cfg.Consents.Lookup(ctx, id)
	if err != nil {
		return Consent{}, unavailable("consent store", err)
	}
	if !consentCovers(rec, found, subject, now) {
		return Consent{}, &Error{Reason: ReasonConsentRequired}
	}
	return rec, nil
}

// Consents returns the challenger's consent store (Config.Consents or its in-memory
// default), where the host records the consents it collects.
func (c *Challenger) Consents() ConsentStore { return c.cfg.Consents }
