package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// AskedStore is a quiz.AskedStore kept in Redis: the memory of which facts a subject has
// been asked and which values it has been shown, shared by every server of a deployment,
// so that a retry on another server still asks other questions with other wrong options
// (package quiz: NIST SP 800-63A-3 §5.3.2 5g and 5h). Make one with [Store.AskedStore]. It
// is safe for concurrent use; its methods must not be called on a nil *AskedStore.
//
// Each caller key is one Redis hash, "<prefix>:asked:" followed by the base64url
// HMAC-SHA-256 of the key under [Config.Secret]; its fields are the IDs and their values
// the IDs' expiry. The IDs are stored as given, since Asked must return them: package quiz
// passes IDs that are themselves HMACs under its index key, never facts in the clear.
type AskedStore struct {
	s *Store
}

// AskedStore returns the quiz.AskedStore of s: the same client, secret and prefix, in a
// namespace of its own.
func (s *Store) AskedStore() *AskedStore { return &AskedStore{s: s} }

// maxClaimIDs bounds one Claim, so that a caller's mistake cannot build a script call of
// unbounded size. Package quiz claims at most 20 questions × 11 values.
const maxClaimIDs = 4096

// askedClaimScript: KEYS[1] the hash; ARGV now_s, now_n, exp_s, exp_n, ttl_ms, then the
// IDs. An ID whose stored expiry is after now is held: then nothing is written and the
// reply is 0. Otherwise fields that have expired at now are deleted, the IDs are written
// with the new expiry (unless it is not after now: nothing to keep), the hash's time to
// live is raised to ttl_ms if it was shorter, and the reply is 1.
const askedClaimScript = `
local key = KEYS[1]
local now_s, now_n = tonumber(ARGV[1]), tonumber(ARGV[2])
local exp_s, exp_n = tonumber(ARGV[3]), tonumber(ARGV[4])
local function before(as, an, bs, bn)
  return as < bs or (as == bs and an < bn)
end
local function parse(v)
  local s, n = string.match(v, '^(%-?%d+) (%d+)$')
  if not s then
    return redis.error_reply('TRUSTIDCORRUPT asked entry')
  end
  return tonumber(s), tonumber(n)
end
if #ARGV > 5 then
  local held = redis.call('HMGET', key, unpack(ARGV, 6))
  for i = 1, #held do
    if held[i] then
      local s, n = parse(held[i])
      if type(s) == 'table' then return s end
      if before(now_s, now_n, s, n) then
        return 0
      end
    end
  end
end
if not before(now_s, now_n, exp_s, exp_n) or #ARGV == 5 then
  return 1
end
local all = redis.call('HGETALL', key)
local gone = {}
for i = 1, #all, 2 do
  local s, n = parse(all[i + 1])
  if type(s) == 'table' then return s end
  if not before(now_s, now_n, s, n) then
    gone[#gone + 1] = all[i]
  end
end
for i = 1, #gone, 1000 do
  redis.call('HDEL', key, unpack(gone, i, math.min(i + 999, #gone)))
end
local v = ARGV[3] .. ' ' .. ARGV[4]
for i = 6, #ARGV, 500 do
  local args = {}
  for j = i, math.min(i + 499, #ARGV) do
    args[#args + 1] = ARGV[j]
    args[#args + 1] = v
  end
  redis.call('HSET', key, unpack(args))
end
local ttl = tonumber(ARGV[5])
if redis.call('PTTL', key) < ttl then
  redis.call('PEXPIRE', key, ttl)
end
return 1
`

var askedClaimLua = redis.NewScript(askedClaimScript)

// Claim implements quiz.AskedStore. One Lua script checks that none of ids is held under
// key at now and, if so, records them all until expires: of any number of concurrent
// Claims on one key whose ids overlap, from any number of servers, at most one returns
// true. Entries of key that have expired at now are dropped on the way, and Redis drops
// the whole hash once its last entry has expired. The caller's times decide, not Redis's
// clock.
//
// An error wraps [ErrUnavailable] (or [ErrCorrupt]) and comes with ok=false, so quiz
// refuses the quiz. More than 4096 IDs in one call are refused as a caller error.
func (a *AskedStore) Claim(ctx context.Context, key string, ids []string, now, expires time.Time) (bool, error) {
	if len(ids) > maxClaimIDs {
		return false, fmt.Errorf("redisstore: asked claim: %d IDs, at most %d", len(ids), maxClaimIDs)
	}
	args := make([]any, 0, 5+len(ids))
	args = append(args, now.Unix(), now.Nanosecond(), expires.Unix(), expires.Nanosecond(), ceilMillis(expires.Sub(now)))
	for _, id := range ids {
		args = append(args, id)
	}
	n, err := askedClaimLua.Run(ctx, a.s.client, []string{a.s.redisKey(a.s.asked, "asked", key)}, args...).Int64()
	if err != nil {
		return false, wrap("asked claim", err)
	}
	return n == 1, nil
}

// Asked implements quiz.AskedStore: the IDs held under key whose expiry is after now, read
// with one HGETALL. An unknown key holds none. An error wraps [ErrUnavailable] (or
// [ErrCorrupt]) and comes with no IDs, so quiz refuses the quiz.
func (a *AskedStore) Asked(ctx context.Context, key string, now time.Time) ([]string, error) {
	m, err := a.s.client.HGetAll(ctx, a.s.redisKey(a.s.asked, "asked", key)).Result()
	if err != nil {
		return nil, wrap("asked", err)
	}
	var ids []string
	for id, v := range m {
		exp, ok := parseExpiry(v)
		if !ok {
			return nil, fmt.Errorf("%w: asked", ErrCorrupt)
		}
		if now.Before(exp) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// parseExpiry reads the "sec nsec" form the scripts write.
func parseExpiry(v string) (time.Time, bool) {
	s, n, ok := strings.Cut(v, " ")
	if !ok {
		return time.Time{}, false
	}
	sec, err1 := strconv.ParseInt(s, 10, 64)
	nsec, err2 := strconv.ParseInt(n, 10, 64)
	if err1 != nil || err2 != nil || nsec < 0 || nsec >= 1e9 {
		return time.Time{}, false
	}
	return time.Unix(sec, nsec), true
}
