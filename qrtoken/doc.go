// Package qrtoken issues and opens time-rotated, encrypted QR identity codes: the e-ID's
// identity QR that an internet cafe, a stadium gate or a government counter scans instead
// of the plastic card, and the reverse flow in which a venue terminal shows its own QR and
// the holder checks in by answering it.
//
// An [Issuer] (the wallet service, or the wallet itself in offline mode) turns [Claims] into
// a [Code] for a [Purpose]; [Code.Text] goes into a QR symbol ([PNG], [Terminal],
// [Version]). A [Reader] (the verification service, or an offline reader) opens the text
// with [Reader.Open] and gets back the claims, the purpose, the key ID and the matched
// window, once. A [Venue] terminal shows a signed [VenueChallenge]; the holder's wallet
// answers with [Issuer.IssueCheckIn]; the service verifies both with [Reader.OpenCheckIn].
//
// # Purposes and claims
//
// A code carries exactly the claims of its purpose (data minimisation in the manner of
// ISO/IEC 18013-5, which discloses age_over_18 rather than a birth date). Built-in
// profiles, functions that return a fresh copy so that no importer can change them:
// [PurposeInternetCafe] (name, ID number, over-18), [PurposeStadiumGate] (name,
// masked ID number 110105********002X, event ID and ticket reference) and
// [PurposeGovernmentCounter] (name, ID number, birth date, gender, address). Hosts define
// their own with IDs from [FirstHostPurposeID]. Age predicates ([Purpose.AgeOver]) are
// computed by the issuer on the civil date of issue (China Standard Time by default) and
// replace the birth date.
//
// The issuer refuses, rather than drops, a claim the purpose does not carry
// ([ErrClaimNotInPurpose]): a silently dropped field hides a host's mistake, and a host
// that passes an address to a cafe code has a bug worth seeing. Inputs that only feed
// derived claims are allowed: the ID number is the source of the masked ID number, the
// birth date, the gender and the age predicates; the birth date the source of the age
// predicates. Derived inputs must agree with the ID number ([ErrInvalidClaim]).
//
// A reader learns an age predicate from [Claims.IsOver]. A venue with an age limit should
// set [ReaderConfig.RequireAgeOver] instead of checking it by hand: the reader then refuses
// a younger holder's code itself ([ErrUnderAge]), and refuses at start-up a purpose that
// cannot prove the age.
//
// # Modes
//
// Online (default, [Issuer.Issue]): ChaCha20-Poly1305 (RFC 8439, golang.org/x/crypto)
// under a key derived per code window with HKDF-SHA-256 (RFC 5869, crypto/hkdf) from a
// master key shared by issuer and verification service: salt "trustid/qrtoken/v1", info =
// kind | key ID | purpose binding (ID, claim set, age list) | window length | window
// number. A code is therefore bound to its window, its purpose definition and its key.
// ChaCha20-Poly1305 was chosen over AES-GCM because it is constant time without AES
// hardware (phones, cheap readers); the derived AEADs are cached so that Open does not run
// HKDF per code.
//
// Offline ([Issuer.IssueOffline]): the claims are signed by the issuer with Ed25519 and
// encrypted with HPKE (RFC 9180, crypto/hpke; DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
// ChaCha20Poly1305) to a reader group's public key. Readers hold the group private key and
// the issuers' public keys and need no network. The signature covers the header, the full
// window, the purpose binding, the group's public key and the HPKE encapsulated key, so a
// group member can neither re-encrypt a code it received into a fresh one nor forward it
// to another group. Same claims, same window rules as online.
//
// Check-in ([Venue], [Issuer.IssueCheckIn], [Reader.OpenCheckIn]): the terminal's
// challenge (venue ID, terminal ID, 8-byte random nonce, expiry) is signed with the
// venue's Ed25519 key. The wallet answers with an online code whose additional data
// includes SHA-256 of the challenge, followed by the challenge. The service checks the
// challenge's signature and expiry, opens the code, and claims the challenge nonce in the
// replay guard: one challenge checks in one person, once.
//
// # Windows, skew and keys
//
// Window n spans [n·W, (n+1)·W) Unix time; W is [IssuerConfig.Window] =
// [ReaderConfig.Window], default 60 s. The code carries n mod 256; the reader takes the n
// nearest to its own clock with that low byte. A code is accepted while its window start
// is at most [ReaderConfig.FutureSkew] ahead of the reader's clock (default 0) and its
// window end plus [ReaderConfig.PastSkew] is after it (default one window: the current and
// the previous window are accepted, so a code lives 60 to 120 s). [Opened.Window] says
// which window matched, unlike TOTP libraries, so that the same code cannot be accepted
// twice. A code more than 128 windows away aliases to a nearer window with the same low
// byte: it fails as [ErrExpired] or [ErrNotYetValid] when that window is outside the
// accepted range, and as [ErrNotAuthentic] (the key of that window does not open it) when it
// is inside, e.g. a code exactly 256 windows old.
//
// Keys carry one-byte IDs in clear. A reader accepts every key in [ReaderConfig.Keys]:
// rotate by adding the new key to readers, then switching issuers, then removing the old
// key once its last codes expired (two windows). A code under a removed key fails with
// [ErrUnknownKey].
//
// # Nonces
//
// Online codes carry a 10-byte random nonce (the AEAD nonce is those 80 bits followed by
// two zero bytes). Because every (master key, key ID, purpose, window) has its own derived
// key, nonces only need to be unique among the codes of one window of one purpose under
// one key: nonces come from crypto/rand (there is no way to supply another source, so
// that concurrent issuers cannot share one that is not safe for concurrent use), and for
// q such codes the probability of any repeat is at most q²/2^81. Issue at
// most 2^24 (16.7 million) codes per key, purpose and window (280 000 per second with
// 60 s windows) and it stays below 2^-33 per window, the margin NIST SP 800-38D asks of
// random 96-bit GCM nonces. A repeat would expose that window's key for that purpose only,
// for at most two windows. A counter nonce was rejected because several issuer instances
// share a key and would need coordinated instance IDs; a 12-byte nonce would cost the two
// bytes that let a 20-byte name fit QR version 4.
//
// # Replay
//
// [Reader.Open] claims each accepted code in a [store.ReplayGuard] until the code could no
// longer be accepted anyway (window end plus PastSkew), so the guard's memory is bounded
// by the codes accepted in one validity period. The key is derived from the code's
// authentication tag (online) or signature (offline), not from personal data, and begins
// with a one-way ID of the key that authenticated the code (HKDF of the key), so readers
// with different keys under the same key IDs never claim each other's codes. The default
// is one in-memory guard shared by every reader of the process configured without one:
// two tellers or gates in one process accept a code once between them. A fleet of
// processes that must refuse a code another member accepted configures a guard they share
// (a Redis-backed one; package store/storetest has the conformance suite for a host's
// guard). Readers that share a guard should share a clock: the in-memory guard forgets a
// code once the clock of the reader claiming a key says it has expired. A guard error
// refuses the code ([ErrUnavailable]).
//
// # Status
//
// A code outlives neither its window nor a revocation the reader hears of: with
// [ReaderConfig.StatusChecker] set (a *wallet.Wallet, or the host's client of one), Open
// and OpenCheckIn ask it about every code they would accept, after the replay guard, and
// refuse a code whose credential was revoked, suspended or reported lost after the code
// was issued ([ErrStatusRefused]); a status check that fails refuses the code too
// ([ErrUnavailable]).
//
// # Errors
//
// Every refusal is an [*Error] with a [Reason] and, for configuration and claim errors, the
// Field concerned, matched with errors.Is against the package's sentinels (errors.New
// values). Authentication failures of any kind (tampered, forged, wrong secret, a purpose
// defined differently at the reader, a forged venue challenge) are the one opaque
// [ErrNotAuthentic], with no field and no cause. Typed errors are returned for what the
// cleartext header already says: [ErrMalformed] (text encoding, length, kind),
// [ErrUnsupportedVersion], [ErrWrongSuite] (another suite's code), [ErrUnknownKey], [ErrWrongPurpose], [ErrExpired],
// [ErrNotYetValid], [ErrWrongMode]; after authentication a code used before matches
// [store.ErrReplayed], a failing replay guard or status check [ErrUnavailable] (wrapping
// its error), a holder below ReaderConfig.RequireAgeOver [ErrUnderAge], and a credential
// the status check refuses [ErrStatusRefused] (wrapping the checker's reason). Bad
// configurations and purpose definitions match [ErrInvalidArgument]. Errors never contain
// claims, code text or key material.
//
// # Wire format (version 1)
//
// All integers big endian. The first byte of every code is suite<<4 | kind (suite 1,
// [DefaultSuite], gives the bytes 0x11 to 0x14 below; another [Suite] puts its ID in the
// high nibble and its own primitives in the same layout: the encapsulated key and the
// signature then have the suite's sizes; the nonce stays 10 bytes and the tag 16; kind
// 1 online, 2 offline, 3 venue challenge, 4 check-in). A first nibble of 0 is
// [ErrUnsupportedVersion].
//
//	online:   0x11 | purpose ID | key ID | window mod 256 | nonce (10) | ciphertext | tag (16)
//	          additional data: the 4 header bytes | purpose binding
//	offline:  0x12 | purpose ID | issuer key ID | group key ID | window mod 256 |
//	          HPKE enc (32) | HPKE ciphertext of (claims | Ed25519 signature (64)) | tag (16)
//	          HPKE info: "trustid/qrtoken/v1 offline" | the 5 header bytes | purpose binding;
//	          HPKE aad: the 5 header bytes
//	venue:    0x13 | venue key ID | venue ID (4) | terminal ID (4) | nonce (8) |
//	          expiry (4, Unix seconds) | Ed25519 signature (64) over "trustid/qrtoken/v1 venue" | the 22 bytes before it
//	check-in: an online code with kind 4 whose additional data ends with SHA-256(venue
//	          challenge), followed by the venue challenge (86 bytes)
//
// The purpose binding is purpose ID | claim set (2) | number of age predicates | ages.
// Claims are packed in claim-bit order, each only if the purpose carries it:
//
//	name             length (1) | UTF-8 (at most 64 bytes)
//	id_number        8 bytes: the first 17 digits as an integer; the GB 11643 check
//	                 character (ISO 7064 MOD 11-2) is recomputed, not carried
//	masked_id_number 5 bytes: region (6 digits) << 14 | last 3 digits << 4 | check value
//	birth_date       2 bytes: days since 1900-01-01
//	gender           1 byte: 1 male, 2 female (idcard.Male, idcard.Female)
//	address          length (1) | UTF-8 (at most 255 bytes)
//	event_id         4 bytes
//	ticket           length (1) | UTF-8 (at most 64 bytes)
//	age predicates   1 byte, bit i set if over Purpose.AgeOver[i] (only if the purpose has any)
//
// ID numbers must be 18 characters (resident ID, the Hong Kong/Macao/Taiwan residents'
// residence permits, the 2023 permanent residence ID card); convert 15-digit legacy
// numbers first.
//
// # Text encoding and QR size
//
// The text form is base45 (RFC 9285, implemented here with its §4.3 vectors, strict and
// fuzzed), which QR encoders put in alphanumeric mode at 5.5 bits per character, 8.25 bits
// per byte. There is no text prefix: the version byte identifies the format. Base45 was
// chosen over base64url (byte mode, a larger symbol) and decimal digits (no standard);
// it has a precedent in the EU DCC ("HC1:").
//
// Sizes, asserted by TestVersionGoals: an online cafe code fits QR version 4 at level M
// for names up to 20 UTF-8 bytes (every Han name of up to 6 characters, and minority
// names such as 买买提·艾力 at 17 bytes), and 21 bytes is where version 5 begins; an
// offline cafe code fits version 10 at level M for every name the format allows (64
// bytes), and version 8 for a 12-byte name.
//
// # Security
//
// Guaranteed: the claims of a code are confidential and authenticated; any change to a
// code (every single bit and every character substitution is tested), a truncation or an
// extension is refused; a code opens only within its accepted windows, for its purpose
// definition, under a configured key, at most once per replay guard; an offline code
// cannot be forged by a reader group member and is bound to its group; a check-in binds
// the person's code to one terminal challenge, accepted once.
//
// Not guaranteed: the header is in clear, so an observer of a code learns its mode,
// purpose, key ID and approximate time, and its length reveals the length of the name
// and address. A code is a bearer credential while it is valid: the replay guard stops the
// second presentation, not the first, so whoever presents a photographed code first within
// its window wins; venues still compare the person with the claims (and, where it
// matters, a photo or face check). In online mode anyone holding the master key, issuer or
// verification service, can mint codes; in offline mode every member of a reader group
// can read every code encrypted to the group. Without a StatusChecker (and always
// offline) there is no revocation beyond the short window. The default replay guard is
// per process. Correct clocks are assumed within
// the configured skew. The wallet checks a venue challenge's form and expiry but not its
// signature; only the service holds the venue keys.
//
// # Suites
//
// The cryptography above is [DefaultSuite] (ID 1). A deployment may choose another
// [Suite] for all its issuers and readers ([IssuerConfig.Suite], [ReaderConfig.Suite]):
// module github.com/trustid/trustid/smsuite provides the Chinese commercial cryptography
// suite (ID 2: HKDF-SM3, SM4-GCM, SM2 signatures and an SM2-based encryption to reader
// groups). A suite replaces the hash of every HKDF (window keys and replay IDs), the
// AEAD of online codes, the signature and the group encryption of offline codes ([OfflineSuite]);
// everything else (layout, salts, info strings, labels, claims, windows, replay rules) is
// the same. The suite's ID is the first nibble of every code, so a code says which suite
// made it, and a reader refuses a code of another suite with [ErrWrongSuite] before it
// reads further. Venue challenges and check-ins exist under the default suite only
// (their signatures are Ed25519); an issuer or reader of another suite refuses them at
// configuration or call time with [ErrInvalidArgument].
package qrtoken
