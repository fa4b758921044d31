package relyingparty

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/store"
)

// ConsentRecord is the record of a person's separate consent (单独同意) to release claims
// to one relying party, with the fields of ISO/IEC TS 27560 a provider knows: who consented
// (the pairwise subject, which no other relying party can link), to whom (the client), for
// what purpose, which categories of data, when, under which notice text, and whether it was
// withdrawn.
type ConsentRecord struct {
	// ID identifies the record (128 random bits, base32).
	ID string
	// Subject is the person's pairwise subject at the client (TS 27560 PII principal).
	Subject string
	// ClientID is the relying party the claims are released to (TS 27560 recipient).
	ClientID string
	// Purpose is the purpose shown to the person.
	Purpose string
	// Claims are the categories of data released, sorted.
	Claims []Claim
	// Notice is the version of the consent text the person was shown.
	Notice string
	// GivenAt is when the person consented.
	GivenAt time.Time
	// WithdrawnAt is when the person withdrew the consent; zero while it stands.
	WithdrawnAt time.Time
	// Version is the version the record was read at (0 = new), for optimistic concurrency.
	Version uint64
}

func (r ConsentRecord) masked() string {
	return fmt.Sprintf("relyingparty.ConsentRecord{ID: %q, Subject: %s, ClientID: %q, Claims: %v, Notice: %q, GivenAt: %s, Withdrawn: %t}",
		r.ID, mask.Middle(r.Subject, 4, 0), r.ClientID, r.Claims, r.Notice, r.GivenAt.UTC().Format(time.RFC3339), !r.WithdrawnAt.IsZero())
}

// String masks the subject.
func (r ConsentRecord) String() string { return r.masked() }

// GoString masks the subject.
func (r ConsentRecord) GoString() string { return r.masked() }

// Format masks the subject for every verb.
func (r ConsentRecord) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.masked(), r.masked()) }

// LogValue masks the subject.
func (r ConsentRecord) LogValue() slog.Value { return slog.StringValue(r.masked()) }

// MarshalText masks the subject; a store encodes records with its own format.
func (r ConsentRecord) MarshalText() ([]byte, error) { return []byte(r.masked()), nil }

// Withdrawn reports whether the consent was withdrawn at or before t.
func (r ConsentRecord) Withdrawn(t time.Time) bool {
	return !r.WithdrawnAt.IsZero() && !t.Before(r.WithdrawnAt)
}

// ConsentStore keeps consent records. Get returns found=false, err=nil for an unknown ID;
// err is for system failures only. Put writes r iff the stored version equals r.Version
// (0 = a new ID), stores r.Version+1 and returns it; otherwise it returns an error matching
// [store.ErrConflict] and changes nothing. Package relyingpartytest holds the conformance
// suite.
type ConsentStore interface {
	Get(ctx context.Context, id string) (r ConsentRecord, found bool, err error)
	Put(ctx context.Context, r ConsentRecord) (version uint64, err error)
}

// MemoryConsentStore is an in-memory [ConsentStore], safe for concurrent use. Its records
// live as long as the process.
type MemoryConsentStore struct {
	mu sync.Mutex
	m  map[string]ConsentRecord
}

// NewMemoryConsentStore returns an empty store.
func NewMemoryConsentStore() *MemoryConsentStore {
	return &MemoryConsentStore{m: make(map[string]ConsentRecord)}
}

// Get implements [ConsentStore]. It never returns an error.
func (s *MemoryConsentStore) Get(_ context.Context, id string) (ConsentRecord, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.m[id]
	r.Claims = slices.Clone(r.Claims)
	return r, ok, nil
}

// Put implements [ConsentStore].
func (s *MemoryConsentStore) Put(_ context.Context, r ConsentRecord) (uint64, error) {
	if r.ID == "" {
		return 0, fmt.Errorf("relyingparty: consent record without ID: %w", ErrInvalidArgument)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[r.ID].Version != r.Version {
		return 0, fmt.Errorf("relyingparty: consent record: %w", store.ErrConflict)
	}
	r.Version++
	r.Claims = slices.Clone(r.Claims)
	s.m[r.ID] = r
	return r.Version, nil
}
