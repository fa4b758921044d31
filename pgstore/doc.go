// Package pgstore keeps trustid's durable state in PostgreSQL, for deployments that need
// wallets, review cases and the shared single-use and attempt memories in a database:
//
//   - [Store] is a store.ReplayGuard and a store.AttemptStore (for hosts without Redis);
//   - [Store.AskedStore] is a quiz.AskedStore;
//   - [Store.WalletStore] is a wallet.Store (wrap it with wallet.NewSealedStore);
//   - [Store.ReviewStore] is a review.Store with review.Counter.
//
// Set-up is two calls: [Migrate] once per start (idempotent, safe from several servers at
// once), then [New]:
//
//	if err := pgstore.Migrate(ctx, pool); err != nil { ... }
//	s, err := pgstore.New(pgstore.Config{Pool: pool, IndexKey: indexKey, Keys: caseKeys})
//
// Each passes the core's conformance suites (store/storetest, quiz/quiztest,
// wallet/wallettest, verify/review/reviewtest).
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
// No column holds personal data in clear. Replay, attempt and asked keys, and each review
// case's applicant reference and reviewer ID, are stored as HMAC-SHA-256 under
// [Config.IndexKey]; wallet holder and index keys are the HMACs package wallet hands over;
// a wallet's Data is stored as given, sealed when the wallet.Store is wrapped with
// wallet.NewSealedStore (do so); a review case, whose JSON holds the claimed name and ID
// number, is sealed with XChaCha20-Poly1305 under [Config.Keys] and bound to its ID, so a
// case copied into another row does not open ([ErrCorrupt]). Asked IDs are stored as
// given: package quiz passes HMACs.
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
// Expired replay claims, attempt counts and asked facts never change an answer but stay
// until [Store.Purge] deletes them: run it every few minutes.
package pgstore
