// Package store holds the storage contracts that every part of trustid shares, their
// in-memory implementations, and the errors those contracts produce.
//
// # Contracts
//
//   - [ReplayGuard] remembers what has been used until it expires, so that a session token,
//     a QR code, a venue challenge or a nonce is accepted once only. [MemoryReplayGuard] is
//     the in-process default.
//   - [AttemptStore] counts attempts per key (a person, a device, an applicant) within a
//     window under an [AttemptRule] and locks the key out for a cool-off once the limit is
//     reached. [MemoryAttemptStore] is the in-process default.
//
// liveness, quiz, qrtoken, verify and verify/review take these types directly in their
// configurations. The in-memory defaults do not share state between processes: a fleet of
// servers (or gates) needs a shared implementation such as the redisstore or pgstore
// module's. Package storetest is the one conformance suite an adapter runs against itself.
//
// # Keys
//
// [Key] is the type of every rotating key of the library (sealed sessions, results,
// decisions, wallet records): an ID, a secret and the [SealSuite] it is used with (the
// default suite when nil). Index keys (HMAC keys that turn a document number into a
// lookup key) are plain byte slices in each package's Config: they never rotate.
//
// The keys a store is handed are opaque strings chosen by the calling package: digests
// or HMACs, never raw nonces, document numbers or other personal data. An adapter may
// store them as they are.
//
// # Errors
//
// Three failures have the same meaning wherever they happen, so they are defined once here
// and every package returns errors that match them with errors.Is:
//
//   - [ErrReplayed]: something single-use was used again;
//   - [ErrLockedOut]: a person, device or applicant has used its attempts; errors.As to
//     [*LockedOutError] gives the time a new attempt may start;
//   - [ErrConflict]: an optimistic-concurrency write lost to another writer.
//
// A method's own err result (as opposed to first=false or Allowed=false) is for system
// failures only: callers treat it as a refusal, never as a success ("fail closed").
package store
