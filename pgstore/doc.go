// Package pgstore keeps trustid's durable state in PostgreSQL, for deployments that need
// wallets, review cases, consent records and the shared single-use and attempt memories
// in a database:
//
//   - [Store] is a store.ReplayGuard and a store.AttemptStore (for hosts without Redis);
//   - [Store.AskedStore] is a quiz.AskedStore;
//   - [Store.WalletStore] is a wallet.Store (wrap it with wallet.NewSealedStore);
//   - [Store.ReviewStore] is a review.Store with review.Counter;
//   - [Store.LivenessConsentStore] is a liveness.ConsentStore (biometric consents);
//   - [Store.RelyingPartyConsentStore] is a relyingparty.ConsentStore (consents to
//     release claims to a relying party);
//   - [Store.HandoffStore] is a relyingparty.HandoffStore (QR sign-in answers, carried
//     from the server the wallet reached to the one the page polls).
//
// Set-up is two calls: [Migrate] once per start (idempotent, safe from several servers at
// once), then [New]:
//
//	if err := pgstore.Migrate(ctx, pool); err != nil { ... }
//	s, err := pgstore.New(pgstore.Config{Pool: pool, IndexKey: indexKey, Keys: sealKeys})
//
// Each passes the core's conformance suites (store/storetest, quiz/quiztest,
// wallet/wallettest, verify/review/reviewtest, liveness/livenesstest,
// relyingparty/relyingpartytest).
//
// # Schema
//
// The schema is embedded (migrations/*.sql) and versioned in the table
// trustid_schema_migrations; every table and function name starts with "trustid_". It
// lives in the pool's search_path, so one database can hold several deployments in
// several schemas.
//
// # Security
//
// No column holds personal data in clear. Replay, attempt, asked and hand-off keys, and
// each review case's applicant reference and reviewer ID, are stored as HMAC-SHA-256
// under [Config.IndexKey]; wallet holder and index keys are the HMACs package wallet
// hands over; a wallet's Data is stored as given, sealed when the wallet.Store is wrapped
// with wallet.NewSealedStore (do so). Review cases (whose JSON holds the claimed name and
// ID number), consent records (whose subject identifies the person) and hand-off values
// (a redirect carrying an authorisation code) are sealed with XChaCha20-Poly1305 under
// [Config.Keys] (the default suite only: a key naming another suite, as smsuite's do, is
// refused), each kind under its own derived key, and bound to their ID or caller
// key, so a record copied into another row, or read as another kind, does not open
// ([ErrNotAuthentic]; a record that opens but does not decode is [ErrCorrupt], a store
// or format problem). Asked IDs are stored as given: package quiz passes HMACs; case
// and consent IDs are stored as given: they are random references.
//
// Sealing protects confidentiality and binds a record to its row; it cannot stop an
// attacker who can write to the database from deleting a row or putting back an older
// sealed copy of the same row (a consent before its withdrawal, say). A liveness
// consent's withdrawal time is therefore kept in clear beside the sealed consent, which
// lets Withdraw keep the first time in one statement at no loss: the database's access
// control and audit are what protect records against rollback.
//
// # Concurrency and failures
//
// Every write is a single statement or a single transaction: the server dying mid-write
// leaves nothing half-written, and the caller gets an error wrapping [ErrUnavailable]
// (guards and limiters then refuse: first=false, Allowed=false). The pool reconnects on
// the next call once the server is back. Versions follow the library's convention
// (Version is the version read, 0 for new; a write succeeds iff the stored version is
// equal, stores Version+1, and otherwise fails with an error matching store.ErrConflict
// and writes nothing); a serialization failure or deadlock reported by the server is a
// conflict too. Review assignments lock a row per reviewer, so concurrent Desks never
// give a reviewer more than its capacity; notices in a case's outbox are claimed with a
// version-checked write, so two Desks sweeping one database send each once.
//
// Expired replay claims, attempt counts, asked facts and hand-offs never change an answer
// but stay until [Store.Purge] deletes them: run it every few minutes. Consent records
// are never purged: they are the evidence of consent, kept (withdrawn or not) as long as
// the host's retention rules say; pgstore offers no deletion of them.
package pgstore
