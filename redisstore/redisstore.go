package redisstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/trustid/trustid/store"
)

// MinSecretSize is the shortest [Config.Secret] accepted, in bytes.
const MinSecretSize = 32

// DefaultPrefix is the key prefix used when [Config.Prefix] is empty.
const DefaultPrefix = "trustid"

var (
	// ErrUnavailable is returned, wrapped, when Redis could not be asked or did not answer:
	// the connection failed, timed out or was refused, the server replied with an error
	// (read-only replica, out of memory, loading), or ctx ended first. The caller must
	// refuse the code or attempt. A replay is not an error: it is first=false with a nil
	// error. The wrapped error keeps the cause, so errors.Is(err, context.Canceled) works.
	ErrUnavailable = errors.New("redisstore: redis unavailable")

	// ErrCorrupt is returned, wrapped, when an entry under this Store's key prefix holds a
	// value (or a type of value) this package did not write, for example because another
	// program shares the prefix. The caller must refuse; the entry is left alone for an operator to inspect.
	ErrCorrupt = errors.New("redisstore: entry not written by redisstore")
)

// Config configures a [Store].
type Config struct {
	// Client is the connection to Redis: a *redis.Client, *redis.ClusterClient,
	// *redis.Ring or failover client. Required. Timeouts, retries and TLS are configured
	// on the client: a check against an unreachable server fails after about DialTimeout
	// (or ReadTimeout) times the client's retries, or when ctx ends, whichever is first.
	// The Store never closes it.
	Client redis.UniversalClient

	// Secret keys the HMAC-SHA-256 that turns every caller key into a Redis key, so that
	// no ID number, subject or nonce is stored in Redis. At least [MinSecretSize] bytes
	// from a CSPRNG, the same on every server of one deployment. Changing it forgets
	// every claim and count. Required.
	Secret []byte

	// Prefix starts every Redis key (followed by ":replay:", ":attempts:" or ":asked:"), so that
	// deployments, environments or tenants sharing one Redis keep apart. Empty means
	// [DefaultPrefix]. It must not contain whitespace or control characters. On a
	// cluster, leave hash tags ({...}) out of it, or every key lands in one slot.
	Prefix string
}

// Store is a [store.ReplayGuard] and a [store.AttemptStore] kept in Redis, so that every
// server of a deployment shares one memory of used codes and one count of attempts; its
// [Store.AskedStore] is package quiz's memory of asked facts. It is safe for concurrent
// use. Replay, attempt and asked keys live in separate namespaces, so one Store can serve
// every package at once: liveness, quiz, qrtoken, verify and verify/review take the store
// interfaces directly.
type Store struct {
	client redis.UniversalClient
	replay string // prefix + ":replay:"
	count  string // prefix + ":attempts:"
	asked  string // prefix + ":asked:"
	macs   sync.Pool
}

var (
	_ store.ReplayGuard  = (*Store)(nil)
	_ store.AttemptStore = (*Store)(nil)
)

// New checks cfg and returns a Store; a bad configuration is an error matching
// store.ErrInvalidArgument. It does not contact Redis: an unreachable server shows as
// [ErrUnavailable] from the first call.
func New(cfg Config) (*Store, error) {
	if cfg.Client == nil {
		return nil, fmt.Errorf("redisstore: Config.Client is required: %w", store.ErrInvalidArgument)
	}
	if len(cfg.Secret) < MinSecretSize {
		return nil, fmt.Errorf("redisstore: Config.Secret must be at least %d bytes: %w", MinSecretSize, store.ErrInvalidArgument)
	}
	prefix := cfg.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	for _, r := range prefix {
		if r <= ' ' || r == 0x7f {
			return nil, fmt.Errorf("redisstore: Config.Prefix must not contain whitespace or control characters: %w", store.ErrInvalidArgument)
		}
	}
	secret := append([]byte(nil), cfg.Secret...)
	s := &Store{
		client: cfg.Client,
		replay: prefix + ":replay:",
		count:  prefix + ":attempts:",
		asked:  prefix + ":asked:",
	}
	s.macs.New = func() any { return &mac{h: hmac.New(sha256.New, secret)} }
	return s, nil
}

// redisKey returns ns followed by the unpadded base64url HMAC-SHA-256 of domain, a zero
// byte and key. The domain makes the replay entry and the attempt entry of one caller key
// unrelated, so that someone reading Redis cannot link a subject's claims to its counts.
func (s *Store) redisKey(ns, domain, key string) string {
	m := s.macs.Get().(*mac)
	m.buf = append(append(append(m.buf[:0], domain...), 0), key...)
	m.h.Reset()
	m.h.Write(m.buf)
	m.sum = m.h.Sum(m.sum[:0])
	m.buf = append(m.buf[:0], ns...)
	m.buf = base64.RawURLEncoding.AppendEncode(m.buf, m.sum)
	k := string(m.buf)
	if cap(m.buf) <= 1024 { // do not keep a huge caller key's buffer
		s.macs.Put(m)
	}
	return k
}

// mac is a pooled HMAC with its scratch space.
type mac struct {
	h        hash.Hash
	buf, sum []byte
}

// Times cross into Lua as a pair (Unix seconds, nanoseconds): Lua numbers are doubles and
// cannot hold Unix nanoseconds exactly, while each half of the pair fits comfortably.

// claimScript: KEYS[1] the entry; ARGV now_s, now_n, exp_s, exp_n, ttl_ms.
// The value is the expiry "sec nsec". An entry whose expiry is not after now counts as
// absent whatever Redis's own clock says; PX lets Redis drop it when it is no longer needed.
// Returns 1 for a first use, 0 for a replay.
const claimScript = `
local now_s, now_n = tonumber(ARGV[1]), tonumber(ARGV[2])
local exp_s, exp_n = tonumber(ARGV[3]), tonumber(ARGV[4])
local v = redis.call('GET', KEYS[1])
if v then
  local s, n = string.match(v, '^(%-?%d+) (%d+)$')
  if not s then
    return redis.error_reply('TRUSTIDCORRUPT replay entry')
  end
  s, n = tonumber(s), tonumber(n)
  if now_s < s or (now_s == s and now_n < n) then
    return 0
  end
end
if now_s > exp_s or (now_s == exp_s and now_n >= exp_n) then
  if v then redis.call('DEL', KEYS[1]) end
  return 1
end
redis.call('SET', KEYS[1], ARGV[3] .. ' ' .. ARGV[4], 'PX', ARGV[5])
return 1
`

// takeScript: KEYS[1] the entry, a hash with fields c (count), ws/wn (window end) and,
// while locked, ls/ln (locked until). ARGV now_s, now_n, limit, wend_s, wend_n (now+Window),
// cool (1 if Cooloff > 0), lock_s, lock_n (now+Cooloff).
// Returns {allowed, remaining, has_retry, retry_s, retry_n}. The steps mirror
// store.MemoryAttemptStore.Take line by line.
const takeScript = `
local key = KEYS[1]
local now_s, now_n = tonumber(ARGV[1]), tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local function before(as, an, bs, bn)
  return as < bs or (as == bs and an < bn)
end
local e = redis.call('HMGET', key, 'c', 'ws', 'wn', 'ls', 'ln')
local c, ws, wn, ls, ln
if e[1] then
  c, ws, wn = tonumber(e[1]), tonumber(e[2]), tonumber(e[3])
  if not (c and ws and wn) then
    return redis.error_reply('TRUSTIDCORRUPT attempt entry')
  end
  if e[4] then
    ls, ln = tonumber(e[4]), tonumber(e[5])
    if not (ls and ln) then
      return redis.error_reply('TRUSTIDCORRUPT attempt entry')
    end
    if before(now_s, now_n, ls, ln) then
      return {0, 0, 1, ls, ln}
    end
  end
end
if not c or not before(now_s, now_n, ws, wn) then
  c, ws, wn, ls, ln = 0, tonumber(ARGV[4]), tonumber(ARGV[5]), nil, nil
  redis.call('DEL', key)
end
if c >= limit then
  return {0, 0, 1, ws, wn}
end
c = c + 1
local res = {1, limit - c, 0, 0, 0}
if c >= limit and ARGV[6] == '1' then
  -- Locked until now+Cooloff or the end of the window, whichever is later.
  ls, ln = tonumber(ARGV[7]), tonumber(ARGV[8])
  if before(ls, ln, ws, wn) then ls, ln = ws, wn end
  res = {1, limit - c, 1, ls, ln}
end
local es, en = ws, wn
if ls then
  redis.call('HSET', key, 'c', c, 'ws', ws, 'wn', wn, 'ls', ls, 'ln', ln)
  if before(es, en, ls, ln) then es, en = ls, ln end
else
  redis.call('HSET', key, 'c', c, 'ws', ws, 'wn', wn)
end
local ttl = math.ceil((es - now_s) * 1000 + (en - now_n) / 1000000)
if ttl < 1 then ttl = 1 end
if ttl > 1e13 then ttl = 1e13 end
redis.call('PEXPIRE', key, ttl)
return res
`

var (
	claimLua = redis.NewScript(claimScript)
	takeLua  = redis.NewScript(takeScript)
)

// Claim implements [store.ReplayGuard]. The first claim of key stores its expiry in Redis with
// a time to live of expires-now (at least one millisecond); a later claim is refused while
// now, as the caller passes it, is before that expiry. The comparison uses the caller's
// times, not Redis's clock, so servers whose clocks differ from Redis's agree on when a key
// may be claimed afresh. One Lua script makes the check and the write atomic, so exactly
// one of any number of concurrent claims, from any number of servers, gets first=true.
//
// An error wraps [ErrUnavailable] (or [ErrCorrupt]) and comes with first=false.
func (s *Store) Claim(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	k := s.redisKey(s.replay, "replay", key)
	ttl := ceilMillis(expires.Sub(now))
	n, err := claimLua.Run(ctx, s.client, []string{k},
		now.Unix(), now.Nanosecond(), expires.Unix(), expires.Nanosecond(), ttl).Int64()
	if err != nil {
		return false, wrap("claim", err)
	}
	return n == 1, nil
}

// Take implements [store.AttemptStore] with exactly the semantics of store.MemoryAttemptStore: one Lua
// script reads the count, window and lock-out, decides and writes, so concurrent Takes from
// any number of servers never allow more than r.Limit attempts per window. Times are the
// caller's; Redis drops an entry once its window and lock-out have both passed.
//
// An invalid rule is refused with the rule's error before Redis is asked. Any other error
// wraps [ErrUnavailable] (or [ErrCorrupt]) and comes with Allowed=false.
func (s *Store) Take(ctx context.Context, key string, now time.Time, r store.AttemptRule) (store.AttemptResult, error) {
	if err := r.Validate(); err != nil {
		return store.AttemptResult{}, err
	}
	wend := capTime(now.Add(r.Window))
	lock := capTime(now.Add(r.Cooloff))
	cool := 0
	if r.Cooloff > 0 {
		cool = 1
	}
	k := s.redisKey(s.count, "attempts", key)
	v, err := takeLua.Run(ctx, s.client, []string{k},
		now.Unix(), now.Nanosecond(), r.Limit, wend.Unix(), wend.Nanosecond(),
		cool, lock.Unix(), lock.Nanosecond()).Int64Slice()
	if err != nil {
		return store.AttemptResult{}, wrap("take", err)
	}
	if len(v) != 5 {
		return store.AttemptResult{}, fmt.Errorf("%w: take: unexpected reply of %d values", ErrUnavailable, len(v))
	}
	res := store.AttemptResult{Allowed: v[0] == 1, Remaining: int(v[1])}
	if v[2] == 1 {
		res.RetryAt = time.Unix(v[3], v[4])
	}
	return res, nil
}

// Reset implements [store.AttemptStore]: it deletes key's count and lock-out. Resetting an
// unknown key is not an error. An error wraps [ErrUnavailable].
func (s *Store) Reset(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.redisKey(s.count, "attempts", key)).Err(); err != nil {
		return wrap("reset", err)
	}
	return nil
}

// maxTime is the last instant store.MemoryAttemptStore can represent (Unix nanoseconds, 2262).
var maxTime = time.Unix(0, math.MaxInt64)

// capTime caps t at maxTime, as store.MemoryAttemptStore caps a window end or lock-out, so that a
// rule with a window or cool-off of centuries reports the same RetryAt from both stores.
func capTime(t time.Time) time.Time {
	if t.After(maxTime) {
		return maxTime
	}
	return t
}

// ceilMillis rounds d up to whole milliseconds, at least one: PX rejects zero, and an
// entry already expired is never written anyway.
func ceilMillis(d time.Duration) int64 {
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond > 0 {
		ms++
	}
	return max(ms, 1)
}

// wrap classifies a failed call. The Redis error text holds no caller key (keys are HMACs
// and the scripts never echo them), so it is safe to keep.
func wrap(op string, err error) error {
	var rerr redis.Error
	// WRONGTYPE: the key holds a type this package never writes there (a hash where a
	// claim's string belongs, or the reverse), so it too was written by someone else.
	if errors.As(err, &rerr) && (strings.HasPrefix(rerr.Error(), "TRUSTIDCORRUPT") || strings.HasPrefix(rerr.Error(), "WRONGTYPE")) {
		return fmt.Errorf("%w: %s", ErrCorrupt, op)
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
}
