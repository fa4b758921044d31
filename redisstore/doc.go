// Package redisstore keeps trustid's single-use memory, attempt counters and the quiz's
// memory of asked facts in Redis, so that a fleet of verification servers behind a load
// balancer, or the many readers at a stadium's gates, share them: a code accepted at gate
// 3 is refused at gate 7 a second later, five failed liveness attempts spread over five
// servers are still five, and a quiz retried on another server asks other questions.
//
// It is a module of its own (github.com/trustid/trustid/redisstore) so that the core
// module stays free of Redis; it uses the official Go client, github.com/redis/go-redis/v9.
//
// A [Store] implements store.ReplayGuard (Claim) and store.AttemptStore (Take, Reset), the
// contracts that liveness, quiz, qrtoken, verify and verify/review take, and its
// [Store.AskedStore] implements quiz.AskedStore (Asked, Claim): the memory that keeps a
// quiz retried on another server from asking the same facts or showing the same wrong
// values again. They pass the core's conformance suites (store/storetest and
// quiz/quiztest) unchanged, so they behave exactly as the in-memory defaults do, across
// processes.
//
// # How it works
//
// Each call is one Lua script run atomically by Redis (EVALSHA, falling back to EVAL after
// a restart or SCRIPT FLUSH), touching one key, so it works on a single server and on a
// cluster. Claim stores the key's expiry as its value and refuses while the caller's now is
// before it; the caller's times decide, not Redis's clock, and the key also gets a PX time
// to live of expires-now so Redis drops it when it no longer matters. (A bare SET NX PX
// would do the same single-use job but let Redis's clock, not the caller's, decide when a
// key may be claimed again.) Take keeps a hash of count, window end and lock-out end and
// applies the in-memory rules step for step. An asked-store Claim keeps one hash per
// subject, ID to expiry: it refuses if any of its IDs is held, else drops the expired IDs
// and writes the new ones, and raises the hash's time to live to the latest expiry; Asked
// is one HGETALL filtered by the caller's now.
//
// # Security
//
// Guaranteed, against a single Redis primary:
//   - Exactly one of any number of concurrent Claims of one key, from any number of
//     connections and servers, gets first=true before the key's expiry.
//   - Concurrent Takes of one key never allow more than Rule.Limit attempts per window; a
//     key that reached the limit stays locked for the cool-off (at least until its
//     window ends).
//   - Of concurrent asked-store Claims of one subject whose IDs overlap, from any number
//     of servers, at most one succeeds, so two quizzes begun at once never share a fact or
//     a shown value.
//   - No caller key reaches Redis: Redis keys are "<prefix>:replay:", "<prefix>:attempts:"
//     or "<prefix>:asked:" followed by the base64url HMAC-SHA-256 of the key under
//     [Config.Secret]; values are times and counts, and for the asked store the IDs package
//     quiz passes, which are HMACs under its own index key. Without the secrets, a Redis
//     dump does not tell which ID number, nonce or fact an entry belongs to (though a guess
//     can be confirmed by anyone who has them).
//   - Fail closed: when Redis cannot be reached, times out, or answers with an error, the
//     call returns an error wrapping [ErrUnavailable] with first=false, Allowed=false or
//     ok=false (and no asked IDs), and callers refuse: quiz refuses to begin a quiz whose
//     asked facts it cannot check or record. A replay is not an error (first=false, nil), so a host can tell an
//     outage from an attack and alert on it.
//
// Not guaranteed:
//   - Durability is Redis's. A Redis that restarts without persistence, or a replica
//     promoted after an asynchronous failover, forgets recent claims, counts and asked
//     facts: codes still within their lifetime could be accepted again, and a retried quiz
//     could repeat a question. Use AOF persistence (appendfsync
//     everysec loses at most about a second) and keep code lifetimes short.
//   - An error is not proof that nothing was written: a claim whose reply was lost is
//     refused and the code is burned; a Take retried by the client after a lost reply may
//     count twice. Both err on the side of refusing.
//   - Keys are HMACs, not encryption: the secret must be kept like any other key, and be
//     the same on every server of one deployment. Changing it forgets all entries.
//
// # Clocks
//
// Expiry and windows are decided from the now the caller passes, so servers must keep
// their clocks in step with one another (as the core already requires); Redis's own clock
// only sets how long it keeps an entry, which is the entry's remaining lifetime measured
// from the call. A deployment whose servers disagree by a second may let a code be claimed
// afresh up to that second early: keep their clocks synchronised.
package redisstore
