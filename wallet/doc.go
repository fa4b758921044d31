// Package wallet is the credential wallet (证照卡包) of the trustid e-ID: once a person
// has passed verification at the required level, their police credentials are linked
// from the authoritative registries, kept current when a document is replaced, and
// presented as QR identity codes through package qrtoken; a credential that is revoked,
// expired, suspended or reported lost is no longer presented.
//
//	w, err := wallet.New(wallet.Config{Source: registries, Store: sealedStore, IndexKey: indexKey, Issuer: issuer})
//	res, err := w.Link(ctx, decision, wallet.HolderRef{IDNumber: id, Subject: subject})
//	p, err := w.Present(ctx, holder, handle, qrtoken.PurposeInternetCafe())
//	// reader side: the status check runs inside Open
//	r, err := qrtoken.NewReader(qrtoken.ReaderConfig{..., StatusChecker: w})
//	o, err := r.Open(ctx, text) // errors.Is(err, qrtoken.ErrStatusRefused) once revoked
//
// # Credentials
//
// A [Credential] is one of the eight kinds of verify.CredentialKind: resident ID card,
// passport, HK/Macao and Taiwan travel permits, household register, residence permit,
// driving licence and vehicle licence. [Validate] checks each against the document rules
// of verify/idcard and verify/docnum (the list of what is checked per kind is in its
// documentation); the number rule of each kind is verify.ParseNumber, the one table the
// document check (verify.Checker.CheckDocument) applies too, so a number that passed the
// document check is not refused here. For example the driving licence's number is the
// holder's identity number, its class is a list of 准驾车型 codes and its 12-digit
// archive number is checked by docnum; the household register entry is keyed by the
// holder's ID number plus the household number (户号, digits only: no national format is
// published). Validity may be long-term (长期) for the ID card, the driving licence and
// the vehicle licence. A holder is named by any identity number of the GB 11643 layout
// ([HolderRef]): a mainland resident's, a Hong Kong, Macao or Taiwan resident's
// residence permit or a foreign permanent resident's.
//
// Statuses are active, expired, suspended, reported lost, revoked and superseded.
// Expired, revoked and superseded are final. An active credential whose validity ended
// (on the calendar day in China Standard Time) is treated as expired at once and recorded
// as expired at the next write.
//
// # Linking
//
// [Wallet.Link] asks the host's [Source] for the person's credentials only after a
// verify.Decision that passed at Config.RequiredLevel (default real-person), for the same
// subject, decided within Config.DecisionMaxAge; otherwise it refuses with a typed error
// and the source is not called. Linking is idempotent (the same documents again change
// nothing and save nothing). A different document for an occupied slot (one per kind; one
// per vehicle for vehicle licences) replaces the current one, which becomes superseded
// and stays in the wallet with its history; an older document than the current one is
// ignored. Credentials that break a document rule are rejected one by one.
// [Wallet.Refresh] re-reads the registries for a wallet linked before, without a new
// decision. Every change is a [HistoryEntry] with its time and actor in [Wallet.History].
//
// # Storage
//
// A [Store] keeps one [StoredWallet] per holder: keys, index and an encoded wallet. Holder keys,
// credential handles and presentation keys are HMAC-SHA-256 values under Config.IndexKey,
// so a store never sees a raw document number as a key. Updates are optimistic: each
// save names the version it read and a store refuses a stale one (store.ErrConflict); the
// wallet also serialises the updates of one holder within the process, and retries
// conflicts with other processes. [MemoryStore] is the default; wallet/wallettest is the
// conformance suite for a host's own store.
//
// [NewSealedStore] wraps any Store and seals each record's data (all personal fields:
// credentials and history) with internal/seal, the library's one sealing construction,
// for the purpose "wallet/record", binding the holder key inside the sealed payload so
// that records cannot be swapped between holders. Records carry the key ID: put a new
// key first to rotate, then re-seal old records with [SealedStore.RotateAll] (or let
// writes re-seal them) before retiring the old key.
//
// # At-rest format
//
// A sealed record's Data (format 2) is an internal/seal token, as text: the base64url
// encoding (no padding) of
//
//	0x01 | key ID (4 bytes, big endian) | nonce (24 bytes) | ciphertext
//
// where ciphertext is XChaCha20-Poly1305 over
//
//	expiry (8 bytes, 0x7fffffffffffffff: never) | 0x02 | holder key length (4 bytes,
//	big endian) | holder key | encoded wallet
//
// with additional data 0x01 | key ID | "wallet/record", under a key derived from the
// master secret with HKDF-SHA-256, no salt, info "trustid/seal/v1\x00wallet/record\x00" |
// key ID. The encoded wallet is JSON with "format": 1. Format 1, the wallet's own
// sealing before it used internal/seal, no longer opens. wallet/testdata holds a
// known-answer vector of format 2. A sealed record holds at most 1 MiB.
//
// # Presenting and online revocation
//
// [Wallet.Present] issues a code through an [Issuer] (a *qrtoken.Issuer) carrying exactly
// the claims of the purpose, taken from the credential. An inactive credential is refused
// with an error matching [ErrInactive] whose reason says why. The wallet remembers each
// code by an HMAC of its text until its expiry plus Config.PresentationGrace. A reader in
// online mode learns whether the credential was revoked, suspended, reported lost or
// superseded after the code was shown: wired with the wallet as its
// qrtoken.ReaderConfig.StatusChecker ([Wallet.CheckStatus]), qrtoken.Reader.Open asks
// for every code it accepts and refuses such a code itself; a reader in another process
// calls [Wallet.CheckPresented] (the [StatusChecker] seam) through the host's transport,
// or wraps that call in a qrtoken.StatusChecker of its own.
//
// # Security
//
// Guaranteed: the source is never called for a failing, too-low, stale or foreign
// decision; a sealed store's bytes hold no name, number or address in clear (tested on
// the stored bytes), and every change of a sealed record, a record moved to another
// holder, a value sealed for another purpose, or a wrong key fails with the opaque
// [ErrNotAuthentic]; credentials, holders, holder references and stored wallets mask
// personal data in every output form (String, GoString, every fmt verb, slog,
// MarshalText, MarshalJSON); errors never contain a number, a name or an address;
// secrets are compared in constant time.
//
// Not guaranteed: that HolderRef.IDNumber is the person the decision verified. Link
// compares only the opaque subjects (the wallet cannot recompute verify's subject
// binding); the host must take the number and the subject from the same verification
// record, never the number from the request. Nor that a registry's answer is true (the
// Source is trusted); that a store
// does not roll a record back to an older version (AEAD does not detect replay of an old
// sealed record of the same holder); offline readers learn nothing of a revocation (an
// offline code stays valid until it expires); the index key cannot be rotated without
// re-keying every record; the unsealed MemoryStore holds personal data in clear in
// memory. Presentation purposes with event or ticket claims are not supported by Present.
package wallet
