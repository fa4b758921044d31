package redisstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/store/storetest"
)

func TestNewValidatesConfig(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"ok", Config{Client: c, Secret: testSecret, Prefix: "gov-prod"}, false},
		{"default prefix", Config{Client: c, Secret: testSecret}, false},
		{"no client", Config{Secret: testSecret}, true},
		{"no secret", Config{Client: c}, true},
		{"short secret", Config{Client: c, Secret: testSecret[:MinSecretSize-1]}, true},
		{"space in prefix", Config{Client: c, Secret: testSecret, Prefix: "gov prod"}, true},
		{"newline in prefix", Config{Client: c, Secret: testSecret, Prefix: "gov\nprod"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("New() error = %v, want error: %v", err, tt.wantErr)
			}
			if tt.wantErr && !errors.Is(err, store.ErrInvalidArgument) {
				t.Errorf("New() error = %v, want one matching store.ErrInvalidArgument", err)
			}
			if err == nil && s == nil {
				t.Fatal("New() returned nil Store and nil error")
			}
			if err != nil && strings.Contains(err.Error(), string(testSecret)) {
				t.Errorf("error %q echoes the secret", err)
			}
		})
	}
}

func TestNewCopiesSecret(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	secret := append([]byte(nil), testSecret...)
	s, err := New(Config{Client: c, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	before := s.redisKey(s.replay, "replay", "k")
	secret[0] ^= 1
	if after := s.redisKey(s.replay, "replay", "k"); after != before {
		t.Errorf("changing the caller's secret slice after New changed the key: %s -> %s", before, after)
	}
}

func TestReplayConformance(t *testing.T) {
	s, _ := newTestStore(t)
	storetest.RunReplayGuard(t, func(t *testing.T) store.ReplayGuard { return s })
}

func TestRateLimitConformance(t *testing.T) {
	s, _ := newTestStore(t)
	storetest.RunAttemptStore(t, func(t *testing.T) store.AttemptStore { return s })
}

// fleet returns m Stores sharing one deployment (secret and prefix) but each with a
// client of its own, as m servers behind a load balancer would.
func fleet(t testing.TB, m int) []*Store {
	t.Helper()
	_, c := newTestStore(t)
	prefix := testPrefix(t, c)
	stores := make([]*Store, m)
	for i := range stores {
		ci := newClient(t, c.Options().Addr, nil)
		s, err := New(Config{Client: ci, Secret: testSecret, Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	return stores
}

func TestConcurrentReplayAcrossConnections(t *testing.T) {
	const goroutines, conns, codes = 48, 4, 25
	stores := fleet(t, conns)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for code := range codes {
		key := fmt.Sprintf("qr/%d", code)
		var accepted atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := range goroutines {
			wg.Go(func() {
				<-start
				// Each presenter sees a slightly different clock, as gates do.
				at := now.Add(time.Duration(g) * time.Millisecond)
				first, err := stores[g%conns].Claim(ctx, key, at, now.Add(time.Minute))
				if err != nil {
					t.Errorf("Claim(%s) via conn %d: %v", key, g%conns, err)
					return
				}
				if first {
					accepted.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if n := accepted.Load(); n != 1 {
			t.Errorf("code %s accepted %d times by %d presenters over %d connections, want exactly 1", key, n, goroutines, conns)
		}
	}
}

func TestConcurrentLockoutAcrossConnections(t *testing.T) {
	const goroutines, conns = 48, 4
	stores := fleet(t, conns)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	rules := []store.AttemptRule{
		{Limit: 1, Window: time.Minute, Cooloff: time.Hour},
		{Limit: 5, Window: 10 * time.Minute, Cooloff: 30 * time.Minute},
		{Limit: 7, Window: time.Hour},
		{Limit: 4, Window: time.Hour, Cooloff: time.Minute}, // locked until the window ends
	}
	for i, r := range rules {
		t.Run(fmt.Sprintf("limit=%d,cooloff=%v", r.Limit, r.Cooloff), func(t *testing.T) {
			key := fmt.Sprintf("subject/%d", i)
			var mu sync.Mutex
			var remaining []int
			var refused []store.AttemptResult
			var wg sync.WaitGroup
			start := make(chan struct{})
			for g := range goroutines {
				wg.Go(func() {
					<-start
					res, err := stores[g%conns].Take(ctx, key, now, r)
					if err != nil {
						t.Errorf("Take: %v", err)
						return
					}
					mu.Lock()
					defer mu.Unlock()
					if res.Allowed {
						remaining = append(remaining, res.Remaining)
					} else {
						refused = append(refused, res)
					}
				})
			}
			close(start)
			wg.Wait()
			if len(remaining) != r.Limit {
				t.Fatalf("%d of %d concurrent attempts allowed, want exactly %d", len(remaining), goroutines, r.Limit)
			}
			// Each allowed attempt saw a distinct count: Remaining is a permutation of 0..Limit-1.
			seen := make([]bool, r.Limit)
			for _, rem := range remaining {
				if rem < 0 || rem >= r.Limit || seen[rem] {
					t.Fatalf("allowed attempts reported Remaining %v, want each of 0..%d once", remaining, r.Limit-1)
				}
				seen[rem] = true
			}
			retry := now.Add(r.Window)
			if r.Cooloff > 0 {
				retry = now.Add(max(r.Cooloff, r.Window))
			}
			for _, res := range refused {
				if diff := cmp.Diff(store.AttemptResult{RetryAt: retry}, res); diff != "" {
					t.Fatalf("refused attempt mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestMatchesMemory runs the core's differential suite: the same pseudo-random sequence
// of claims, takes and resets against the in-memory defaults and the Redis store, with
// identical results required (times from 1999 to 2090, far from Redis's own clock).
func TestMatchesMemory(t *testing.T) {
	s, _ := newTestStore(t)
	storetest.RunDifferential(t, s, s)
}

// TestNoPersonalDataInRedis claims and counts under an ID number and checks that neither
// the number nor any part of the caller's key appears in Redis's keys or values.
func TestNoPersonalDataInRedis(t *testing.T) {
	s, c := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	const id = "11010519491231002X" // GB 11643 example-format number, made up for this test
	if _, err := s.Claim(ctx, "nonce/"+id, now, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Take(ctx, "subject/"+id, now, store.AttemptRule{Limit: 2, Window: time.Hour, Cooloff: time.Hour}); err != nil {
		t.Fatal(err)
	}
	keys, err := c.Keys(ctx, s.replay[:strings.IndexByte(s.replay, ':')]+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Fatalf("found %d keys %q, want 2", len(keys), keys)
	}
	shape := regexp.MustCompile(`^trustidtest-[0-9a-f]{16}:(replay|attempts):[A-Za-z0-9_-]{43}$`)
	for _, k := range keys {
		if !shape.MatchString(k) {
			t.Errorf("key %q is not <prefix>:<kind>:<base64url HMAC>", k)
		}
		var dump strings.Builder
		dump.WriteString(k)
		switch typ := c.Type(ctx, k).Val(); typ {
		case "string":
			dump.WriteString(c.Get(ctx, k).Val())
		case "hash":
			for f, v := range c.HGetAll(ctx, k).Val() {
				dump.WriteString(f + v)
			}
		default:
			t.Errorf("key %q has type %q", k, typ)
		}
		for _, secret := range []string{id, id[:6], id[6:14], "nonce", "subject"} {
			if strings.Contains(dump.String(), secret) {
				t.Errorf("Redis entry %q holds %q", dump.String(), secret)
			}
		}
	}
}

// TestNamespaces checks that the secret and the prefix both separate deployments, that a
// replay key and an attempt key of the same name do not meet, and that two Stores of one
// deployment share everything.
func TestNamespaces(t *testing.T) {
	base, c := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	prefix := strings.TrimSuffix(base.replay, ":replay:")
	otherSecret := []byte(strings.ToUpper(string(testSecret)))
	mk := func(secret []byte, prefix string) *Store {
		s, err := New(Config{Client: c, Secret: secret, Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	otherPrefix := testPrefix(t, c)
	tests := []struct {
		name      string
		other     *Store
		wantFirst bool
	}{
		{"same deployment", mk(testSecret, prefix), false},
		{"other secret", mk(otherSecret, prefix), true},
		{"other prefix", mk(testSecret, otherPrefix), true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := fmt.Sprintf("code/%d", i)
			if first, err := base.Claim(ctx, key, now, now.Add(time.Minute)); err != nil || !first {
				t.Fatalf("first Claim = %v, %v", first, err)
			}
			first, err := tt.other.Claim(ctx, key, now, now.Add(time.Minute))
			if err != nil || first != tt.wantFirst {
				t.Fatalf("Claim through the other Store = %v, %v; want %v, nil", first, err, tt.wantFirst)
			}
		})
	}
	t.Run("replay and attempts apart", func(t *testing.T) {
		if _, err := base.Claim(ctx, "shared", now, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		res, err := base.Take(ctx, "shared", now, store.AttemptRule{Limit: 1, Window: time.Minute})
		if err != nil || !res.Allowed {
			t.Fatalf("Take of a key also claimed = %+v, %v; want allowed", res, err)
		}
	})
}

// TestRedisExpiry checks the time to live Redis is given: the entry's remaining lifetime
// computed from the caller's times, whatever Redis's own clock says.
func TestRedisExpiry(t *testing.T) {
	s, c := newTestStore(t)
	ctx := context.Background()
	for _, now := range []time.Time{
		time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Now(),
		time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		t.Run(now.Format("2006"), func(t *testing.T) {
			key := "ttl/" + now.Format("2006")
			if _, err := s.Claim(ctx, key, now, now.Add(90*time.Second)); err != nil {
				t.Fatal(err)
			}
			ttl := c.PTTL(ctx, s.redisKey(s.replay, "replay", key)).Val()
			if ttl <= 85*time.Second || ttl > 90*time.Second {
				t.Errorf("replay entry TTL = %v, want about 90s", ttl)
			}
			r := store.AttemptRule{Limit: 2, Window: 10 * time.Minute, Cooloff: time.Hour}
			for _, want := range []time.Duration{10 * time.Minute, time.Hour} {
				if _, err := s.Take(ctx, key, now, r); err != nil {
					t.Fatal(err)
				}
				ttl := c.PTTL(ctx, s.redisKey(s.count, "attempts", key)).Val()
				if ttl <= want-5*time.Second || ttl > want {
					t.Errorf("attempt entry TTL = %v, want about %v", ttl, want)
				}
			}
		})
	}
	t.Run("already expired is not stored", func(t *testing.T) {
		now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
		if first, err := s.Claim(ctx, "gone", now, now.Add(-time.Second)); err != nil || !first {
			t.Fatalf("Claim = %v, %v; want true, nil", first, err)
		}
		if n := c.Exists(ctx, s.redisKey(s.replay, "replay", "gone")).Val(); n != 0 {
			t.Errorf("expired claim left %d keys in Redis", n)
		}
	})
}

// TestCorruptEntry puts values this package never writes under its keys and checks that
// the Store refuses with ErrCorrupt rather than guessing.
func TestCorruptEntry(t *testing.T) {
	s, c := newTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	rk := s.redisKey(s.replay, "replay", "bad")
	ak := s.redisKey(s.count, "attempts", "bad")
	r := store.AttemptRule{Limit: 3, Window: time.Minute}
	tests := []struct {
		name  string
		setup func() error
		call  func() (bool, error)
	}{
		{"replay value", func() error { return c.Set(ctx, rk, "not a time", time.Minute).Err() },
			func() (bool, error) { return s.Claim(ctx, "bad", now, now.Add(time.Minute)) }},
		{"attempt count", func() error { return c.HSet(ctx, ak, "c", "x", "ws", "1", "wn", "0").Err() },
			func() (bool, error) { res, err := s.Take(ctx, "bad", now, r); return res.Allowed, err }},
		{"attempt lock", func() error { return c.HSet(ctx, ak, "c", "1", "ws", "1", "wn", "0", "ls", "?", "ln", "0").Err() },
			func() (bool, error) { res, err := s.Take(ctx, "bad", now, r); return res.Allowed, err }},
		{"replay key of another type", func() error { return c.HSet(ctx, rk, "c", "1").Err() },
			func() (bool, error) { return s.Claim(ctx, "bad", now, now.Add(time.Minute)) }},
		{"attempt key of another type", func() error { return c.Set(ctx, ak, "1", time.Minute).Err() },
			func() (bool, error) { res, err := s.Take(ctx, "bad", now, r); return res.Allowed, err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.Del(ctx, rk, ak)
			if err := tt.setup(); err != nil {
				t.Fatal(err)
			}
			ok, err := tt.call()
			if ok || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, %v; want false, ErrCorrupt", ok, err)
			}
			if errors.Is(err, ErrUnavailable) {
				t.Errorf("corrupt entry reported as unavailable: %v", err)
			}
		})
	}
}

func TestTakeInvalidRuleDoesNotAskRedis(t *testing.T) {
	// The client points at a closed port: an invalid rule must fail before any I/O, with
	// the rule's error rather than ErrUnavailable.
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DisableIdentity: true})
	defer c.Close()
	s, err := New(Config{Client: c, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Take(context.Background(), "k", time.Now(), store.AttemptRule{Limit: 0, Window: time.Minute})
	if err == nil || res.Allowed || errors.Is(err, ErrUnavailable) {
		t.Fatalf("Take(invalid rule) = %+v, %v; want the rule's error", res, err)
	}
}

func TestCeilMillis(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want int64
	}{
		{-time.Hour, 1},
		{0, 1},
		{time.Nanosecond, 1},
		{time.Millisecond, 1},
		{time.Millisecond + 1, 2},
		{90 * time.Second, 90_000},
		{1<<63 - 1, (1<<63-1)/int64(time.Millisecond) + 1},
	}
	for _, tt := range tests {
		if got := ceilMillis(tt.in); got != tt.want {
			t.Errorf("ceilMillis(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
