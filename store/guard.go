package store

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// ReplayGuard records keys as used until they expire.
//
// Claim reports first=true the first time key is claimed and false for every later claim
// made before expires has passed; once now is not before the expiry the key may be claimed
// afresh. Exactly one of any number of concurrent claims of one key gets first=true.
// err is for system failures only (a store that cannot be reached): a caller must treat an
// error as a refusal, never as a first use.
//
// Keys are opaque strings; callers pass digests, never raw nonces or personal data.
type ReplayGuard interface {
	Claim(ctx context.Context, key string, now, expires time.Time) (first bool, err error)
}

const shards = 32

// MemoryReplayGuard is an in-memory [ReplayGuard], safe for concurrent use. It forgets a key once its expiry
// has passed, so its size is bounded by the number of keys claimed within one lifetime. It
// does not share state between processes: a fleet of servers needs a shared ReplayGuard.
type MemoryReplayGuard struct {
	seed   maphash.Seed
	shards [shards]guardShard
}

type guardShard struct {
	mu        sync.Mutex
	m         map[string]int64 // key -> expiry, Unix nanoseconds
	nextSweep int
}

// NewMemoryReplayGuard returns an empty in-memory guard.
func NewMemoryReplayGuard() *MemoryReplayGuard {
	g := &MemoryReplayGuard{seed: maphash.MakeSeed()}
	for i := range g.shards {
		g.shards[i].m = make(map[string]int64)
		g.shards[i].nextSweep = 64
	}
	return g
}

// Claim implements [ReplayGuard]. It never returns an error.
func (g *MemoryReplayGuard) Claim(_ context.Context, key string, now, expires time.Time) (bool, error) {
	s := &g.shards[maphash.String(g.seed, key)%shards]
	t, exp := now.UnixNano(), expires.UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.m[key]; ok && t < old {
		return false, nil
	}
	if t >= exp {
		// Already expired: nothing to remember, but this is still its first use.
		delete(s.m, key)
		return true, nil
	}
	s.m[key] = exp
	if len(s.m) >= s.nextSweep {
		for k, e := range s.m {
			if t >= e {
				delete(s.m, k)
			}
		}
		// Sweep again when the live set has doubled: amortised O(1) per claim.
		s.nextSweep = max(64, 2*len(s.m))
	}
	return true, nil
}

// Len returns the number of keys held, expired or not, for tests and metrics.
func (g *MemoryReplayGuard) Len() int {
	n := 0
	for i := range g.shards {
		s := &g.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}
