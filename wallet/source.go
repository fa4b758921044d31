package wallet

import (
	"context"
	"slices"
	"sync"
	"time"
)

// MemorySource is an in-memory Source for tests, examples and demonstrations: it answers
// with the credentials set for a holder's ID number. It is safe for concurrent use and
// counts the calls it answered, so a test can check that the source was not asked.
type MemorySource struct {
	mu    sync.Mutex
	m     map[string][]Credential
	calls int
}

// NewMemorySource returns an empty MemorySource. Set on a nil *MemorySource panics (a
// test's mistake); Credentials returns an error matching ErrInvalidArgument and Calls 0.
func NewMemorySource() *MemorySource { return &MemorySource{m: map[string][]Credential{}} }

// Set replaces the credentials held for the holder with the resident ID number idNumber
// (18 or 15 digits; it is normalised, so both forms name one holder).
func (s *MemorySource) Set(idNumber string, creds ...Credential) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[sourceKey(idNumber)] = slices.Clone(creds)
}

// Credentials implements Source.
func (s *MemorySource) Credentials(ctx context.Context, holder HolderRef) ([]Credential, error) {
	if s == nil {
		return nil, invalid("credentials", "source")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	return slices.Clone(s.m[sourceKey(holder.IDNumber)]), nil
}

// Calls returns how many times Credentials answered.
func (s *MemorySource) Calls() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func sourceKey(id string) string {
	// A far-future reference time: only the normalisation matters here.
	if n, err := parseHolderID(id, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		return n.Digits()
	}
	return id
}
