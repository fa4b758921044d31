// Package wallet is the credential wallet (证照卡包) of the trustid e-ID: once a person
// has passed verification at the required level, their police credentials are linked
// from the authoritative registries, kept current when a document is replaced, and
// presented as QR identity codes through package qrtoken; a credential that is revoked,
// expired, suspended or reported lost is no longer presented.
//
//	w, err := wallet.New(wallet.Config{Source: registries, Store: sealedStore, IndexKey: indexKey,
//		Decisions: checker.Decisions(), Issuer: issuer})
//	res, err := w.Link(ctx, wallet.LinkRequest{Decision: decision.Token, Holder: wallet.HolderRef{IDNumber: id}})
//	p, err := w.Present(ctx, wallet.PresentRequest{Holder: holder, Handle: handle, Purpose: qrtoken.PurposeInternetCafe()})
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
// [Wallet.Link] takes the token of a decision (verify.Decision.Token), never a
// verify.Decision value: it opens the token with Config.Decisions, the sealer of the
// checker that decided (or one built from the same keys), so a decision built or edited
// by hand, or sealed under another key, links nothing (ErrNotAuthentic, reason
// decision_not_authentic). It asks the host's [Source] for the person's credentials only
// after a decision that passed at Config.RequiredLevel (default real-person), is about
// the holder (verify.Decision.IsPerson of HolderRef.IDNumber: the person of the document
// check, whichever identity-numbered document it was made with) and is before its
// ValidUntil, by the opener's clock and by the wallet's (ErrDecisionStale); otherwise it
// refuses with a typed error and the source is not called.
//
// A decision links once. The wallet records each decision that linked in the holder's
// record, by an HMAC of its check ID and decision time, in the same save as the
// credentials it linked, and keeps it until the decision's ValidUntil (after which the
// token no longer opens); a second Link with it fails with an error matching
// store.ErrReplayed (reason decision_used) before the source is asked. At most 64 used
// decisions are kept; while 64 are within their validity Link refuses further decisions
// (store.ErrLockedOut with its RetryAt), so linking cannot grow a record either. The
// record is the
// right place because a decision is about one person, hence one wallet: the record's
// versions make the check and the recording atomic across processes sharing the store,
// without another store to configure, and a Link that fails (source down, conflicts)
// leaves the decision usable. A token re-sealed from the same decision is the same
// decision; a later decision on the same document check (after a face check raised the
// level) is another. Linking the same documents again changes no credential (only the
// used decision is saved). A different document for an occupied slot (one per kind; one
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
// known-answer vector of format 2. That is the default suite; under a key with
// store.Key.Suite set the first byte is the suite's (0x02 for module smsuite, whose
// package documentation gives its AEAD and whose testdata holds a vector).
//
// An encoded wallet is at most 960 KiB, so that its sealed record (at most 1 MiB, what
// internal/seal accepts) always fits: the wallet never saves a record it cannot load
// again. A change that would encode larger is refused with ErrRecordTooLarge and the
// stored record stays as it was. What grows a record is bounded: presentations by
// Config.MaxPresentations, "presented" events by Config.MaxPresentedEvents, used
// decisions by their validity (and 64); credentials and the other history entries grow only with
// the registries' and operators' changes.
//
// # Presenting and online revocation
//
// [Wallet.Present] issues a code through an [Issuer] (a *qrtoken.Issuer) carrying exactly
// the claims of the purpose: the personal ones taken from the credential, and for a
// ticketed purpose (qrtoken.PurposeStadiumGate) the event ID and ticket reference from
// the [PresentRequest], which qrtoken checks. An inactive credential is refused with an
// error matching [ErrInactive] whose reason says why. The wallet remembers each code by
// an HMAC of its text until its expiry plus Config.PresentationGrace. A reader in online
// mode learns whether the credential was revoked, suspended, reported lost or
// superseded after the code was shown: wired with the wallet as its
// qrtoken.ReaderConfig.StatusChecker ([Wallet.CheckStatus]), qrtoken.Reader.Open asks
// for every code it accepts and refuses such a code itself; a reader in another process
// calls [Wallet.CheckPresented] (the [StatusChecker] seam) through the host's transport,
// or wraps that call in a qrtoken.StatusChecker of its own.
//
// A holder has at most Config.MaxPresentations (default 64) live presentations; beyond
// it Present fails with [ErrTooManyPresentations] until some expire (expired ones are
// dropped at every write). This bounds the record, so the cost of every write of the
// wallet, Present included, does not grow with how often the holder presented, and a
// holder presenting in a loop cannot make the record too large to load, or block
// [Wallet.SetStatus] from reporting a card lost.
//
// # Security
//
// Guaranteed: the source is never called for a decision token that does not
// authenticate under Config.Decisions, nor for a failing, too-low, stale, already used
// or foreign decision; a decision links at most once; a sealed store's bytes hold no
// name, number or address in clear (tested on the stored bytes), and every change of a
// sealed record, a record moved to another holder, a value sealed for another purpose,
// or a wrong key fails with the opaque [ErrNotAuthentic]; credentials, holders, holder
// references, requests and stored wallets mask personal data in every output form
// (String, GoString, every fmt verb, slog, MarshalText, MarshalJSON), and requests never
// show a decision token; errors never contain a number, a name or an address; secrets
// are compared in constant time; no record is saved that cannot be loaded again.
//
// Not guaranteed: that a registry's answer is true (the Source is trusted); that the
// bearer of a decision token is the person it is about (a token is a bearer credential
// until its ValidUntil: whoever holds it can link that person's wallet once, and no
// other wallet); that a store does not roll a record back to an older version (AEAD
// does not detect replay of an old sealed record of the same holder, and a rolled-back
// record has also forgotten the decisions used since); offline readers learn nothing of
// a revocation (an offline code stays valid until it expires); the index key cannot be
// rotated without re-keying every record; the unsealed MemoryStore holds personal data
// in clear in memory; that the event ID or ticket reference of a PresentRequest is the
// holder's (the host's ticketing decides that).
package wallet
