package redisstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
)

// loadFigures is what one load run measured.
type loadFigures struct {
	checks        int
	elapsed       time.Duration
	p50, p99, max time.Duration
}

func (f loadFigures) String() string {
	return fmt.Sprintf("%d checks in %v: %.0f checks/s, p50 %v, p99 %v, max %v",
		f.checks, f.elapsed.Round(time.Millisecond), float64(f.checks)/f.elapsed.Seconds(),
		f.p50, f.p99, f.max)
}

// runLoad calls check(g, j) for j in [0, jobs) from goroutines goroutines, each job once,
// in order of j, so that consecutive jobs (the presentations of one code) run at the same
// time on different goroutines. It measures each call's latency with the wall clock.
// It stops early if ctx ends; every job after that counts as an error.
func runLoad(ctx context.Context, t *testing.T, goroutines, jobs int, check func(ctx context.Context, g, j int) error) loadFigures {
	t.Helper()
	var next atomic.Int64
	lat := make([][]time.Duration, goroutines)
	var wg sync.WaitGroup
	start := time.Now()
	for g := range goroutines {
		wg.Go(func() {
			for {
				j := int(next.Add(1) - 1)
				if j >= jobs {
					return
				}
				t0 := time.Now()
				err := check(ctx, g, j)
				lat[g] = append(lat[g], time.Since(t0))
				if err != nil {
					t.Errorf("job %d: %v", j, err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		t.Fatal("no job ran")
	}
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	return loadFigures{checks: len(all), elapsed: elapsed, p50: q(0.50), p99: q(0.99), max: all[len(all)-1]}
}

// TestLoad presents every code several times at once from many goroutines spread over
// several client connections (separate redis.Client instances, as separate servers would
// have), requires exactly one acceptance per code, and logs throughput and latency beside
// the in-memory guard's. It does the same for attempt counting: each subject makes more
// attempts than its limit, concurrently, and exactly the limit is allowed. Bounded: a fixed
// number of checks against the loopback server, and a 60 s deadline. Run with -v to see the
// figures; they are measurements, not assertions.
func TestLoad(t *testing.T) {
	const (
		conns      = 4
		goroutines = 32
		codes      = 1500
		presenters = 8 // presentations of each code, concurrent
		limit      = 3
	)
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	stores := fleet(t, conns)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	rule := store.AttemptRule{Limit: limit, Window: time.Hour, Cooloff: time.Hour}

	claims := func(name string, guard func(g int) store.ReplayGuard) {
		accepted := make([]atomic.Int32, codes)
		f := runLoad(ctx, t, goroutines, codes*presenters, func(ctx context.Context, g, j int) error {
			code := j / presenters
			first, err := guard(g).Claim(ctx, fmt.Sprintf("load/%s/%d", name, code), now, now.Add(time.Minute))
			if first {
				accepted[code].Add(1)
			}
			return err
		})
		for code := range accepted {
			if n := accepted[code].Load(); n != 1 {
				t.Errorf("%s: code %d accepted %d times, want exactly 1", name, code, n)
			}
		}
		t.Logf("Claim  %-22s %v", name+":", f)
	}
	takes := func(name string, store func(g int) store.AttemptStore) {
		allowed := make([]atomic.Int32, codes)
		f := runLoad(ctx, t, goroutines, codes*presenters, func(ctx context.Context, g, j int) error {
			subject := j / presenters
			res, err := store(g).Take(ctx, fmt.Sprintf("load/%s/%d", name, subject), now, rule)
			if res.Allowed {
				allowed[subject].Add(1)
			}
			return err
		})
		for subject := range allowed {
			if n := allowed[subject].Load(); n != limit {
				t.Errorf("%s: subject %d allowed %d attempts, want exactly %d", name, subject, n, limit)
			}
		}
		t.Logf("Take   %-22s %v", name+":", f)
	}

	t.Logf("%d goroutines, %d codes/subjects x %d concurrent presentations", goroutines, codes, presenters)
	mem := store.NewMemoryReplayGuard()
	claims("memory", func(int) store.ReplayGuard { return mem })
	claims(fmt.Sprintf("redis(%d conns)", conns), func(g int) store.ReplayGuard { return stores[g%conns] })
	memStore := store.NewMemoryAttemptStore()
	takes("memory", func(int) store.AttemptStore { return memStore })
	takes(fmt.Sprintf("redis(%d conns)", conns), func(g int) store.AttemptStore { return stores[g%conns] })
}

// Benchmarks. The Redis ones need TRUSTID_REDIS_ADDR; the in-memory ones always run, so the
// two can be read side by side:
//
//	TRUSTID_REDIS_ADDR=127.0.0.1:6390 go test -run='^$' -bench=. -benchmem -benchtime=300ms

func BenchmarkClaim(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for _, name := range []string{"memory", "redis"} {
		b.Run(name, func(b *testing.B) {
			var g store.ReplayGuard = store.NewMemoryReplayGuard()
			if name == "redis" {
				g, _ = newTestStore(b)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := g.Claim(ctx, fmt.Sprint("bench/", i), now, now.Add(time.Minute)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkClaimParallel claims from GOMAXPROCS*16 goroutines; the Redis case spreads
// them over four client connections.
func BenchmarkClaimParallel(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for _, name := range []string{"memory", "redis"} {
		b.Run(name, func(b *testing.B) {
			var guards []store.ReplayGuard
			if name == "memory" {
				guards = []store.ReplayGuard{store.NewMemoryReplayGuard()}
			} else {
				for _, s := range fleet(b, 4) {
					guards = append(guards, s)
				}
			}
			var n atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(16)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, err := guards[int(i)%len(guards)].Claim(ctx, fmt.Sprint("bench/", i), now, now.Add(time.Minute)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkTake(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	rule := store.AttemptRule{Limit: 5, Window: time.Hour, Cooloff: time.Hour}
	for _, name := range []string{"memory", "redis"} {
		b.Run(name, func(b *testing.B) {
			var s store.AttemptStore = store.NewMemoryAttemptStore()
			if name == "redis" {
				s, _ = newTestStore(b)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Take(ctx, fmt.Sprint("bench/", i%1000), now, rule); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkRedisKey measures the HMAC that names every entry.
func BenchmarkRedisKey(b *testing.B) {
	s, err := New(Config{Client: newClient(b, "127.0.0.1:1", nil), Secret: testSecret})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.redisKey(s.replay, "replay", "qrtoken/0123456789abcdef0123456789abcdef")
	}
}
