// Package review is the certification workflow for cases machines cannot decide alone:
// an applicant applies (personal or organisation certification, with references to
// uploaded material), automatic checks run the [verify] decision, a reviewer is assigned
// with a deadline, material may be requested and resubmitted, and the case ends
// approved (valid until periodic re-review) or rejected with reasons; the applicant may
// correct and re-apply, sees status and history at any time, and is notified by the
// host's email or SMS sender.
//
// A [Desk] runs the workflow over a [Store] (in-memory by default). Each [Case] moves
// through the states of [Next]'s table; anything else is an error matching
// [ErrIllegalTransition]. Every transition has an actor and a time from Config.Now and
// appends a record to the case's hash-chained audit trail (Case.History).
//
//	draft ─submit→ submitted ─check→ checking ─assign→ in_review
//	checking ─check_pass→ approved          checking ─check_fail→ rejected   (when configured)
//	in_review, resubmitted ─request_supplement→ supplement_requested ─resubmit→ resubmitted
//	in_review, resubmitted ─reassign/escalate→ same state (missed deadline)
//	in_review, resubmitted ─approve→ approved ─expire→ expired (validity ended, identity changed)
//	in_review, resubmitted, supplement_requested ─reject→ rejected
//	rejected, expired ─reapply→ submitted   every open state ─withdraw→ withdrawn
//
// # Host duties
//
// The host authenticates applicants and reviewers and passes their references; runs
// [Desk.Sweep] periodically (escalation of missed deadlines, retries of failed checks
// and notices, expiry of certifications); reports identity data changes with
// [Desk.IdentityChanged]; and lists certifications due with [Desk.DueForReview].
//
// Deadlines are read from Config.Now. A reviewer's missed deadline is escalated by the
// Sweep (the overdue reviewer may still decide until then and after a flag); the
// applicant's supplement deadline is enforced by [Desk.Resubmit] too, so material
// handed in late is refused even if no Sweep has run since.
//
// # Assignment and neutrality
//
// Reviewers have a capacity; an [AssignPolicy] ([LeastLoaded] by default) chooses among
// eligible reviewers only: never one with a declared conflict with the applicant, never
// the reviewer who rejected the previous attempt (on a re-application, or on a new case
// after the applicant's latest rejected case), never the overdue reviewer on
// reassignment. The policy chooses from loads counted in the Store; the write that
// assigns the case reserves the slot with [Store.PutAssigned], which checks the
// reviewer's load and writes in one atomic step, so concurrent assignments (from one
// Desk or from several sharing a Store) never assign a reviewer beyond capacity. An
// assignment that loses the last slot to another is tried again with the next eligible
// reviewer; when none is free the case waits unassigned in StateChecking until a Sweep
// finds one.
//
// # Notifications
//
// A transition that the applicant must hear about (submitted, supplement requested,
// approved, rejected with reasons, re-review due) puts a [Notice] into the case's
// outbox in the same store write as the transition (a transactional outbox). The Desk
// then delivers it through the [Notifier]; a failure leaves it pending and the next
// Sweep retries. A notice is claimed in the store before it is sent, so concurrent
// sweeps do not send it twice, and it carries an idempotency key (Notice.Key) for the
// one case the library cannot close: a process that stops after the Notifier accepted a
// notice but before the store recorded it will send it again with the same key.
// Notices hold the case ID, reason messages and dates only: no names, no numbers, and
// not the reviewer's free-text note.
//
// # Applications and materials
//
// An [Application] names the applicant by the host's opaque reference and lists its
// [Material] by reference (Kind, Ref) and by Digest, the SHA-256 of the file's content
// that the host computes when the file is uploaded. The digest is required for every
// material, in drafts too: it is what binds the audit trail to the exact files a
// reviewer saw. The library keeps references and digests, never files.
//
// # Journey decisions and the trusted referee
//
// An application may carry the sealed verify decision of the applicant's verification
// journey (Application.Decision: verify.Decision.Token from verify.Checker.Decide),
// typically one with outcome review. The Desk opens it with Config.Decisions when the
// application is made, while it is fresh: a token that does not authenticate is refused
// ([ErrNotAuthentic]), an expired one too ([ErrExpired]), and so is a decision no
// reviewer can accept ([ErrInvalidArgument]): one that reached no level (a hard fail such
// as a revoked document, a subject mismatch, stale evidence or a fraud refusal) or a
// referee's decision. Review, pass, and a fail only because the required level was not
// reached may open a case. For a personal certification the decision must be about the
// claimed person (verify.Decision.IsPerson of Claimed.Number, [ErrInvalidArgument]
// otherwise), so no applicant can have another person's journey approved. The opened decision is kept as Case.Journey and given to the AutoChecker and the
// reviewer.
//
// The journey decision expires within minutes, a review takes days, and the Store is the
// host's. So Case.Journey carries a seal made under the Desk's own Config.Keys
// (internal format: the opened fields, the subject binding, the token, the case ID and
// the attempt, under XChaCha20-Poly1305, purpose "trustid/review/journey/v1"), and
// [Desk.Approve] derives the approval from that seal only: it must open, name this case
// and attempt, and match the fields shown, or the approval is refused with
// [ErrNotAuthentic]. The reviewer then acts as a trusted referee (NIST SP 800-63A-4
// §3.15): verify re-opens the journey's token as of the time the Desk opened it and
// seals a new decision (verify.DecisionSealer.SealRefereed): outcome pass at the journey's level, never higher, for the journey's
// subject and person (so verify.Decision.IsPerson holds), with the reviewer, case,
// rationale codes and time as its Referee, decided at the approval and valid for
// Config.DecisionValidity (default 30 minutes). Its token is Case.Approval.Token and
// Notice.Decision; the host hands it to the wallet. The approval's audit record names
// the referee (Actor), the decision (Action "approve" and Level) and the rationale
// (Reasons).
//
// # Rate limits
//
// Applications (first submissions and re-applications) are counted per applicant with
// Config.ApplicationLimit through a [store.AttemptStore] whose Take is atomic, so
// concurrent submissions never exceed the limit. After a rejection the applicant waits
// Config.RejectCooloff, measured from the rejection time recorded in their cases.
// Refusals are lock-outs: [*Error] values with [ReasonRateLimited] or [ReasonCoolingOff]
// that wrap a [*store.LockedOutError], so errors.Is(err, store.ErrLockedOut) holds and
// errors.As gives the time to retry. [Desk.Apply] checks both before it creates the
// case, so a refused application leaves nothing in the Store. Drafts are not counted,
// but an applicant may hold at most Config.MaxDrafts open drafts (default 3); more fail
// with [ErrTooManyDrafts].
//
// # Concurrency
//
// A [Case] is read and written back whole. Case.Version is the version it was read at
// (0 for a case not stored yet); [Store.Put] writes only if the stored version is still
// that one, stores Version+1 and reports it, so of two concurrent transitions exactly
// one wins. The Desk reads the loser again, re-checks the transition and retries, up to
// Config.MaxRetries times (default 3); then the operation fails with an error matching
// store.ErrConflict and nothing was written.
//
// # Errors
//
// Every refusal is an [*Error]: a stable [Reason] code, the Field concerned (never its
// value), detail where it helps (the state and event of an illegal transition, the
// index of a bad audit record) and the underlying error. errors.Is matches it against
// the package's sentinels (ErrInvalidArgument, ErrNotFound, ErrIllegalTransition, ...),
// store.ErrLockedOut for lock-outs and store.ErrConflict for lost races. A failing host
// dependency is [ErrUnavailable]: the operation did not happen.
//
// # Audit trail
//
// Each case has its own chain of [AuditRecord] values, written in the same
// optimistic-concurrency store write as the transition, so a transition never commits
// without its record. A record's hash is SHA-256 over a length-prefixed canonical
// encoding of its sequence number, previous hash, time, actor, action, case ID, state,
// reason codes, the digest of the material references and, for a referee's approval,
// the level ([AuditRecord.ComputeHash] gives the layout). [VerifyChain] reports the first bad index of a changed, deleted,
// inserted or reordered record. [ExportAudit] writes JSON Lines for archiving;
// [ImportAudit] parses and verifies them as it reads, stopping at the first bad record,
// with a cap on the number of records. Times are hashed as 64-bit Unix nanoseconds,
// so [VerifyChain] refuses records dated outside 1970..2262 (a clock outside that range
// writes trails that do not verify). A deployment may chain with another 32-byte hash
// (Config.AuditHash, registered with [RegisterAuditHash]; module smsuite registers SM3 as
// "sm3"): every record then names it (AuditRecord.HashAlg, also hashed) and the digest
// of the material references uses it too, and [VerifyChain] refuses a chain whose
// records name different hashes or one this process has not registered. Checkpoints
// stay Ed25519 signatures over the head hash. The delivery status of notices (Case.Outbox) is
// bookkeeping, not part of the chain. testdata/audit holds a known-answer vector of the
// record hashes, the export and a signed [Checkpoint].
//
// # Security
//
// Guaranteed: illegal transitions are refused; concurrent transitions on one case do not
// lose updates (Store.Put is compare-and-swap on Case.Version); every transition is in
// the audit chain; reviewers' conflicts and the previous rejecter are enforced outside
// the pluggable policy; applicant names and ID numbers ([Identity]) are masked in
// String, Format, LogValue, errors and notices, and so are material references
// ([Material].Ref) and the decision tokens of notices and approvals (their JSON, the
// Store format, holds them whole); applicants are referenced by an opaque
// reference; case IDs are 120 random bits from crypto/rand; an approval's decision is
// never above the level the journey's evidence reached, never about another subject or
// person, and never rests on journey fields edited in the Store; the applicant's
// [Progress] holds no reviewer identity, claimed identity or token.
//
// Not guaranteed: a hash chain cannot show that records were cut from its end, or that
// someone with write access to the store rewrote a case from some point on and
// recomputed the later hashes, or deleted a whole case. Anchor heads outside the store
// with [SignCheckpoint] (ed25519) and check them with [VerifyCheckpoint]. The Store
// holds the claimed identity in the clear: encrypt it at rest in the host's adapter.
// The reviewer's note is free text and is shown to the applicant as written. The Desk
// does not check that a journey decision is about the claimed identity (the reviewer
// compares them). Approval tokens in the outbox (Notice.Decision) and in Case.Approval
// are credentials for linking until they expire: the host's Notifier must not send them
// on.
package review
