package review

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/trustid/trustid/store"
)

// Query selects cases for [Store.List]. Every non-zero field must match; the zero Query
// matches every case.
type Query struct {
	// Applicant selects the cases of one applicant reference.
	Applicant string
	// Reviewer selects the cases assigned to one reviewer.
	Reviewer string
	// States selects cases in any of these states.
	States []State
	// WakeBefore selects cases whose WakeAt is set and not after it.
	WakeBefore time.Time
}

// Match reports whether c is selected by q. Store adapters may use it to filter.
func (q Query) Match(c *Case) bool {
	if q.Applicant != "" && c.Application.Applicant != q.Applicant {
		return false
	}
	if q.Reviewer != "" && c.Reviewer != q.Reviewer {
		return false
	}
	if len(q.States) > 0 && !slices.Contains(q.States, c.State) {
		return false
	}
	if !q.WakeBefore.IsZero() && (c.WakeAt.IsZero() || c.WakeAt.After(q.WakeBefore)) {
		return false
	}
	return true
}

// Store keeps cases. Implementations must be safe for concurrent use.
//
// Get returns a copy of the case with that ID, or an error matching [ErrNotFound].
//
// Put writes c if and only if the stored case's Version equals c.Version, the version
// c was read at (Version 0: the case is new and no case with its ID may exist yet). It
// stores the case with Version c.Version+1 and returns that version; c itself is not
// changed. Otherwise it returns an error matching store.ErrConflict and changes nothing.
// The check and the write are atomic, so of two concurrent writers that read the same
// version exactly one succeeds. Put must not keep c or share memory with it (use
// [Case.Clone]).
//
// List returns copies of the cases matching q (see [Query.Match]) in ascending ID order.
//
// Errors other than ErrNotFound and store.ErrConflict are system failures; the Desk
// returns them wrapped in an [*Error] with [ReasonUnavailable]. Package reviewtest
// checks an implementation.
type Store interface {
	Get(ctx context.Context, id string) (*Case, error)
	Put(ctx context.Context, c *Case) (version uint64, err error)
	List(ctx context.Context, q Query) ([]*Case, error)
}

// Counter is an optional ability of a [Store], found by type assertion: Count returns
// how many cases List(ctx, q) would return, without copying them. The Desk uses it to
// count reviewers' loads.
type Counter interface {
	Count(ctx context.Context, q Query) (int, error)
}

// MemoryStore is the in-memory [Store], safe for concurrent use. It indexes cases by
// applicant; other queries scan every case. Make it with [NewMemoryStore]: its methods
// must not be called on a nil or zero MemoryStore (they panic).
type MemoryStore struct {
	mu          sync.RWMutex
	cases       map[string]*Case
	byApplicant map[string][]string
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{cases: make(map[string]*Case), byApplicant: make(map[string][]string)}
}

// Get implements [Store].
func (s *MemoryStore) Get(ctx context.Context, id string) (*Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cases[id]
	if !ok {
		return nil, ErrNotFound
	}
	return c.Clone(), nil
}

// Put implements [Store].
func (s *MemoryStore) Put(ctx context.Context, c *Case) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if c == nil || c.ID == "" {
		return 0, invalid("ID", "a case with an ID is required")
	}
	n := c.Clone()
	n.Version = c.Version + 1
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.cases[c.ID]
	switch {
	case !ok && c.Version != 0, ok && old.Version != c.Version:
		return 0, store.ErrConflict
	}
	if ok && old.Application.Applicant != n.Application.Applicant {
		s.unindex(old)
		ok = false
	}
	if !ok {
		a := n.Application.Applicant
		s.byApplicant[a] = append(s.byApplicant[a], n.ID)
	}
	s.cases[c.ID] = n
	return n.Version, nil
}

func (s *MemoryStore) unindex(c *Case) {
	a := c.Application.Applicant
	ids := s.byApplicant[a]
	if i := slices.Index(ids, c.ID); i >= 0 {
		ids = slices.Delete(ids, i, i+1)
	}
	if len(ids) == 0 {
		delete(s.byApplicant, a)
	} else {
		s.byApplicant[a] = ids
	}
}

// List implements [Store].
func (s *MemoryStore) List(ctx context.Context, q Query) ([]*Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []*Case
	if q.Applicant != "" {
		for _, id := range s.byApplicant[q.Applicant] {
			if c := s.cases[id]; q.Match(c) {
				out = append(out, c.Clone())
			}
		}
	} else {
		for _, c := range s.cases {
			if q.Match(c) {
				out = append(out, c.Clone())
			}
		}
	}
	s.mu.RUnlock()
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

// Count implements [Counter].
func (s *MemoryStore) Count(ctx context.Context, q Query) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	if q.Applicant != "" {
		for _, id := range s.byApplicant[q.Applicant] {
			if q.Match(s.cases[id]) {
				n++
			}
		}
		return n, nil
	}
	for _, c := range s.cases {
		if q.Match(c) {
			n++
		}
	}
	return n, nil
}
