package storetest

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
)

// Run checks the store returned by newStore, which is called once per subtest and must
// return an empty store; subtests use distinct keys, so one backend may be shared.
func RunAttemptStore(t *testing.T, newStore func(t *testing.T) store.AttemptStore) {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	prefix := fmt.Sprintf("ratelimittest/%d/", time.Now().UnixNano())
	lockout := store.AttemptRule{Limit: 3, Window: 3 * time.Minute, Cooloff: 30 * time.Minute}
	window := store.AttemptRule{Limit: 2, Window: time.Hour}

	take := func(t *testing.T, s store.AttemptStore, key string, now time.Time, r store.AttemptRule) store.AttemptResult {
		t.Helper()
		res, err := s.Take(ctx, key, now, r)
		if err != nil {
			t.Fatalf("Take(%s, %v): %v", key, now, err)
		}
		return res
	}

	t.Run("LockoutAfterLimit", func(t *testing.T) {
		s := newStore(t)
		key := prefix + "lockout"
		for i := range lockout.Limit {
			now := base.Add(time.Duration(i) * time.Second)
			res := take(t, s, key, now, lockout)
			if !res.Allowed || res.Remaining != lockout.Limit-1-i {
				t.Fatalf("attempt %d = %+v, want allowed with %d remaining", i, res, lockout.Limit-1-i)
			}
			if i == lockout.Limit-1 && !res.RetryAt.Equal(now.Add(lockout.Cooloff)) {
				t.Fatalf("last allowed attempt RetryAt = %v, want %v", res.RetryAt, now.Add(lockout.Cooloff))
			}
		}
		last := base.Add(time.Duration(lockout.Limit-1) * time.Second)
		until := last.Add(lockout.Cooloff)
		// Locked for the whole cool-off, even after the window has ended.
		for _, at := range []time.Time{last.Add(time.Second), base.Add(lockout.Window + time.Minute), until.Add(-time.Nanosecond)} {
			res := take(t, s, key, at, lockout)
			if res.Allowed || !res.RetryAt.Equal(until) {
				t.Fatalf("Take at %v during cool-off = %+v, want refused until %v", at, res, until)
			}
		}
		if res := take(t, s, key, until, lockout); !res.Allowed || res.Remaining != lockout.Limit-1 {
			t.Fatalf("Take at end of cool-off = %+v, want a fresh window", res)
		}
	})

	t.Run("WindowWithoutCooloff", func(t *testing.T) {
		s := newStore(t)
		key := prefix + "window"
		take(t, s, key, base, window)
		take(t, s, key, base.Add(time.Minute), window)
		res := take(t, s, key, base.Add(2*time.Minute), window)
		if res.Allowed || !res.RetryAt.Equal(base.Add(window.Window)) {
			t.Fatalf("third Take = %+v, want refused until %v", res, base.Add(window.Window))
		}
		if res := take(t, s, key, base.Add(window.Window), window); !res.Allowed {
			t.Fatalf("Take in the next window = %+v, want allowed", res)
		}
	})

	t.Run("CooloffShorterThanWindow", func(t *testing.T) {
		s := newStore(t)
		key := prefix + "short-cooloff"
		r := store.AttemptRule{Limit: 2, Window: time.Hour, Cooloff: time.Minute}
		take(t, s, key, base, r)
		res := take(t, s, key, base.Add(time.Second), r)
		// The used-up window refuses until it ends, so that is when the lock-out ends.
		if end := base.Add(r.Window); !res.Allowed || !res.RetryAt.Equal(end) {
			t.Fatalf("attempt reaching the limit = %+v, want allowed with RetryAt %v", res, end)
		}
		for _, at := range []time.Time{base.Add(2 * time.Minute), base.Add(r.Window - time.Nanosecond)} {
			if res := take(t, s, key, at, r); res.Allowed || !res.RetryAt.Equal(base.Add(r.Window)) {
				t.Fatalf("Take at %v = %+v, want refused until %v", at, res, base.Add(r.Window))
			}
		}
		if res := take(t, s, key, base.Add(r.Window), r); !res.Allowed {
			t.Fatalf("Take when the window ends = %+v, want allowed", res)
		}
	})

	t.Run("HugeWindowAndCooloff", func(t *testing.T) {
		// A window or cool-off that runs past the year 2262 (where Unix nanoseconds end)
		// still refuses: a store may cap the end there, but must not let it wrap into
		// the past.
		s := newStore(t)
		forever := time.Duration(math.MaxInt64)
		for i, r := range []store.AttemptRule{{Limit: 1, Window: forever}, {Limit: 1, Window: time.Minute, Cooloff: forever}} {
			key := fmt.Sprintf("%shuge/%d", prefix, i)
			if res := take(t, s, key, base, r); !res.Allowed {
				t.Fatalf("first Take under %+v = %+v, want allowed", r, res)
			}
			res := take(t, s, key, base.Add(24*time.Hour), r)
			if res.Allowed || res.RetryAt.Before(base.AddDate(200, 0, 0)) {
				t.Fatalf("Take a day later under %+v = %+v, want refused for centuries", r, res)
			}
		}
	})

	t.Run("SubSecondEdges", func(t *testing.T) {
		// Window ends and lock-outs are to the nanosecond, also within one second.
		s := newStore(t)
		at := base.Add(250 * time.Millisecond)
		r := store.AttemptRule{Limit: 1, Window: 1500 * time.Millisecond}
		key := prefix + "subsecond/window"
		take(t, s, key, at, r)
		end := at.Add(r.Window)
		for _, now := range []time.Time{end.Add(-500 * time.Millisecond), end.Add(-time.Nanosecond)} {
			if res := take(t, s, key, now, r); res.Allowed || !res.RetryAt.Equal(end) {
				t.Fatalf("Take at %v = %+v, want refused until %v", now, res, end)
			}
		}
		if res := take(t, s, key, end, r); !res.Allowed {
			t.Fatalf("Take at the window's end = %+v, want allowed", res)
		}

		r = store.AttemptRule{Limit: 1, Window: time.Second, Cooloff: 2500 * time.Millisecond}
		key = prefix + "subsecond/lock"
		until := at.Add(r.Cooloff)
		if res := take(t, s, key, at, r); !res.Allowed || !res.RetryAt.Equal(until) {
			t.Fatalf("Take = %+v, want allowed and locked until %v", res, until)
		}
		for _, now := range []time.Time{until.Add(-500 * time.Millisecond), until.Add(-time.Nanosecond)} {
			if res := take(t, s, key, now, r); res.Allowed || !res.RetryAt.Equal(until) {
				t.Fatalf("Take at %v = %+v, want refused until %v", now, res, until)
			}
		}
		if res := take(t, s, key, until, r); !res.Allowed {
			t.Fatalf("Take when the lock-out ends = %+v, want allowed", res)
		}
	})

	t.Run("ResetClearsLockout", func(t *testing.T) {
		s := newStore(t)
		key := prefix + "reset"
		for range lockout.Limit {
			take(t, s, key, base, lockout)
		}
		if res := take(t, s, key, base, lockout); res.Allowed {
			t.Fatalf("Take after limit allowed: %+v", res)
		}
		if err := s.Reset(ctx, key); err != nil {
			t.Fatalf("Reset: %v", err)
		}
		if res := take(t, s, key, base, lockout); !res.Allowed || res.Remaining != lockout.Limit-1 {
			t.Fatalf("Take after Reset = %+v, want a fresh count", res)
		}
		if err := s.Reset(ctx, prefix+"never-seen"); err != nil {
			t.Fatalf("Reset of an unknown key: %v", err)
		}
	})

	t.Run("KeysIndependent", func(t *testing.T) {
		s := newStore(t)
		for range lockout.Limit {
			take(t, s, prefix+"indep/a", base, lockout)
		}
		if res := take(t, s, prefix+"indep/b", base, lockout); !res.Allowed {
			t.Fatalf("other key refused: %+v", res)
		}
	})

	t.Run("InvalidRule", func(t *testing.T) {
		s := newStore(t)
		for _, r := range []store.AttemptRule{{}, {Limit: 1}, {Limit: 1, Window: time.Second, Cooloff: -1}} {
			if res, err := s.Take(ctx, prefix+"invalid", base, r); err == nil || res.Allowed {
				t.Errorf("Take with %+v = %+v, %v; want an error", r, res, err)
			}
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		key := prefix + "concurrent"
		const goroutines = 64
		var allowed atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range goroutines {
			wg.Go(func() {
				<-start
				res, err := s.Take(ctx, key, base, lockout)
				if err != nil {
					t.Errorf("Take: %v", err)
					return
				}
				if res.Allowed {
					allowed.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if n := allowed.Load(); n != int32(lockout.Limit) {
			t.Fatalf("%d concurrent attempts allowed, want exactly %d", n, lockout.Limit)
		}
	})
}
