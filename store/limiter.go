package store

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"time"
)

// AttemptRule says how many attempts a key may make within Window, and how long it is locked
// out once it has made them. A zero Cooloff means the key is refused only until its window
// ends.
type AttemptRule struct {
	Limit   int
	Window  time.Duration
	Cooloff time.Duration
}

// Validate reports whether the rule can be enforced.
func (r AttemptRule) Validate() error {
	if r.Limit < 1 {
		return fmt.Errorf("store: Limit must be at least 1: %w", ErrInvalidArgument)
	}
	if r.Window <= 0 {
		return fmt.Errorf("store: Window must be positive: %w", ErrInvalidArgument)
	}
	if r.Cooloff < 0 {
		return fmt.Errorf("store: Cooloff must not be negative: %w", ErrInvalidArgument)
	}
	return nil
}

// AttemptResult is the outcome of one [AttemptStore.Take].
type AttemptResult struct {
	// Allowed is true when the attempt was counted and may go ahead.
	Allowed bool
	// Remaining is how many more attempts the key may make in the current window; after a
	// refusal it is 0.
	Remaining int
	// RetryAt is, after a refusal, the earliest time the key may try again; after an
	// allowed attempt that used up the limit, when the lock-out ends. Otherwise zero.
	RetryAt time.Time
}

// AttemptStore counts attempts.
//
// Take atomically counts one attempt by key at now under rule r, or refuses it when the key
// is locked out or has used its limit in the current window. A window starts at the first
// attempt counted after the previous window ended. When an allowed attempt reaches the
// limit and r.Cooloff is positive, the key is locked until now+r.Cooloff or the end of the
// window, whichever is later, and that is the RetryAt reported. Concurrent Takes
// of one key never allow more than r.Limit attempts per window.
//
// Reset forgets the key's count and lock-out (after a success).
//
// err is for system failures only; callers refuse the attempt when err is not nil.
type AttemptStore interface {
	Take(ctx context.Context, key string, now time.Time, r AttemptRule) (AttemptResult, error)
	Reset(ctx context.Context, key string) error
}

const limitShards = 32

type limitEntry struct {
	count       int
	lockedUntil int64
	windowEnd   int64
}

// MemoryAttemptStore is an in-memory [AttemptStore], safe for concurrent use. Entries whose window and
// lock-out have both passed are dropped. It does not share counts between processes.
type MemoryAttemptStore struct {
	seed        maphash.Seed
	limitShards [limitShards]limitShard
}

type limitShard struct {
	mu        sync.Mutex
	m         map[string]*limitEntry
	nextSweep int
}

// NewMemoryAttemptStore returns an empty in-memory store.
func NewMemoryAttemptStore() *MemoryAttemptStore {
	s := &MemoryAttemptStore{seed: maphash.MakeSeed()}
	for i := range s.limitShards {
		s.limitShards[i].m = make(map[string]*limitEntry)
		s.limitShards[i].nextSweep = 64
	}
	return s
}

func (s *MemoryAttemptStore) shard(key string) *limitShard {
	return &s.limitShards[maphash.String(s.seed, key)%limitShards]
}

// Take implements [AttemptStore]. It returns an error only for an invalid rule.
func (s *MemoryAttemptStore) Take(_ context.Context, key string, now time.Time, r AttemptRule) (AttemptResult, error) {
	if err := r.Validate(); err != nil {
		return AttemptResult{}, err
	}
	sh := s.shard(key)
	t := now.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e := sh.m[key]
	if e != nil && t < e.lockedUntil {
		return AttemptResult{RetryAt: time.Unix(0, e.lockedUntil)}, nil
	}
	if e == nil || t >= e.windowEnd {
		if e == nil {
			e = &limitEntry{}
			sh.m[key] = e
		}
		*e = limitEntry{windowEnd: addSat(t, r.Window)}
	}
	if e.count >= r.Limit {
		return AttemptResult{RetryAt: time.Unix(0, e.windowEnd)}, nil
	}
	e.count++
	res := AttemptResult{Allowed: true, Remaining: r.Limit - e.count}
	if e.count >= r.Limit && r.Cooloff > 0 {
		// A cool-off shorter than the window would end while the used-up window still
		// refuses: the lock-out lasts until whichever ends later.
		e.lockedUntil = max(addSat(t, r.Cooloff), e.windowEnd)
		res.RetryAt = time.Unix(0, e.lockedUntil)
	}
	if len(sh.m) >= sh.nextSweep {
		for k, v := range sh.m {
			if t >= v.windowEnd && t >= v.lockedUntil {
				delete(sh.m, k)
			}
		}
		sh.nextSweep = max(64, 2*len(sh.m))
	}
	return res, nil
}

// addSat returns t+d, or the largest Unix nanosecond time (in the year 2262) where the sum
// would overflow: a wrapped window end would lie in the past and let every attempt through.
func addSat(t int64, d time.Duration) int64 {
	if t > math.MaxInt64-int64(d) {
		return math.MaxInt64
	}
	return t + int64(d)
}

// Reset implements [AttemptStore]. It never returns an error.
func (s *MemoryAttemptStore) Reset(_ context.Context, key string) error {
	sh := s.shard(key)
	sh.mu.Lock()
	delete(sh.m, key)
	sh.mu.Unlock()
	return nil
}

// size returns the number of entries held, stale or not (for tests).
func (s *MemoryAttemptStore) size() int {
	n := 0
	for i := range s.limitShards {
		sh := &s.limitShards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}
