package qrtoken

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hkdf"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/store"
)

// ReaderConfig configures a [Reader].
type ReaderConfig struct {
	// Purposes the reader accepts; a code for any other purpose fails with
	// [ErrWrongPurpose]. Required. IDs must be distinct.
	Purposes []Purpose
	// Keys are the online secret keys accepted, all at once: add a new key here before
	// issuers use it, remove the old one after its last codes expired.
	Keys []SecretKey
	// IssuerKeys and GroupKeys are for offline codes: the issuers' Ed25519 public keys and
	// this reader group's HPKE private keys.
	IssuerKeys []IssuerPublicKey
	GroupKeys  []GroupPrivateKey
	// VenueKeys are the venues' public keys, for check-ins.
	VenueKeys []VenuePublicKey
	// Window is the window length; it must equal the issuer's (default 60 s).
	Window time.Duration
	// PastSkew is how long after its window's end a code is still accepted (default one
	// window: the previous window only; a negative value accepts the current window only).
	// It covers an issuer clock that is behind and the time from display to scan.
	PastSkew time.Duration
	// FutureSkew is how long before its window's start a code is accepted (default 0: an
	// issuer clock ahead of the reader's is not tolerated).
	FutureSkew time.Duration
	// ReplayGuard remembers accepted codes. Default: one in-memory guard shared by every
	// reader of the process that has none configured, so that two readers (two tellers,
	// two gates) in one process accept a code once between them. A fleet of processes
	// needs a guard they share (a Redis-backed store.ReplayGuard, for example): the
	// in-memory one does not reach beyond its process.
	ReplayGuard store.ReplayGuard
	Now         func() time.Time // default time.Now
	// RequireAgeOver, when positive, makes Open and OpenCheckIn refuse with [ErrUnderAge]
	// every code whose holder was not at least this old on its day of issue, so that a
	// venue with an age limit (an internet cafe: 18) cannot forget to check it. Every
	// purpose in Purposes must carry this predicate in its AgeOver; NewReader refuses the
	// configuration otherwise. The check runs after authentication and before the replay
	// guard, so a refused code is not used up. Default 0: no requirement; negative values
	// are refused.
	RequireAgeOver int
	// StatusChecker, when set, is asked inside Open and OpenCheckIn whether the
	// credential behind each accepted code is still active (a *wallet.Wallet: the wallet
	// that presented the code). It runs last, after authentication, the window, the age
	// requirement and the replay guard, so only a code that would otherwise be accepted
	// costs a status query, and a refused code is used up. A refusal fails with
	// [ErrStatusRefused], a failure of the check with [ErrUnavailable]. Default nil: no
	// status check, a code is valid until its window ends.
	StatusChecker StatusChecker
	// Suite is the deployment's cryptography (default [DefaultSuite]); it must be the
	// issuers'. A code of another suite is refused with [ErrWrongSuite]. IssuerKeys and
	// GroupKeys need an [OfflineSuite] and keys of its types.
	Suite Suite
}

// sharedGuard is the replay guard of every reader configured without one. Its keys begin
// with the replay ID of the key that authenticated the code, so readers holding different
// keys under the same key IDs claim disjoint keys and cannot refuse each other's codes,
// while readers holding the same keys share single use. It forgets a key once the code
// could no longer be accepted, so its memory is bounded by the codes accepted in one
// validity period.
var sharedGuard = store.NewMemoryReplayGuard()

// replayIDLen is the length of a key's replay ID.
const replayIDLen = 8

// replayID names a key in replay guard keys without revealing it: HKDF of the key over
// the suite's hash with the package's salt and an info string no code key derivation
// uses (theirs begin with a kind byte).
func replayID(s Suite, key []byte) ([replayIDLen]byte, error) {
	var id [replayIDLen]byte
	b, err := hkdf.Key(s.NewHash, key, hkdfSalt, "trustid/qrtoken/v1 replay id", replayIDLen)
	copy(id[:], b)
	return id, err
}

// readerSecret is an online secret key and its replay ID.
type readerSecret struct {
	secret   []byte
	replayID [replayIDLen]byte
}

// readerIssuerKey is an issuer's public key and its replay ID.
type readerIssuerKey struct {
	key      crypto.PublicKey
	replayID [replayIDLen]byte
}

// readerGroupKey is a reader group's private key and the encoding of its public half.
type readerGroupKey struct {
	id          uint8
	key         crypto.PrivateKey
	publicBytes []byte
}

// readerVenueKey is a venue's public key and its replay ID.
type readerVenueKey struct {
	key      ed25519.PublicKey
	replayID [replayIDLen]byte
}

type readerPurpose struct {
	p       Purpose // the reader's own copy, used for parsing; results get copies of it
	binding []byte
	bindKey bindingKey
}

// Reader opens codes: online codes, offline codes and check-ins. It is safe for
// concurrent use. Its methods on a nil *Reader return an error matching
// [ErrInvalidArgument].
type Reader struct {
	purposes   [256]*readerPurpose
	keys       [256]*readerSecret
	issuerKeys [256]*readerIssuerKey
	groupKeys  [256]*readerGroupKey
	venueKeys  map[venueKeyName]readerVenueKey
	window     time.Duration
	past       time.Duration
	future     time.Duration
	guard      store.ReplayGuard
	now        func() time.Time
	cache      aeadCache
	minAge     int
	status     StatusChecker
	suite      Suite
	offline    OfflineSuite // nil if the suite has no offline mode
}

// NewReader validates cfg and fills defaults.
func NewReader(cfg ReaderConfig) (*Reader, error) {
	r := &Reader{window: cfg.Window, past: cfg.PastSkew, future: cfg.FutureSkew, guard: cfg.ReplayGuard, now: cfg.Now, minAge: cfg.RequireAgeOver, status: cfg.StatusChecker}
	if r.window == 0 {
		r.window = DefaultWindow
	}
	if err := checkWindowLength(r.window); err != nil {
		return nil, err
	}
	var err error
	if r.suite, err = checkSuite(cfg.Suite, "ReaderConfig.Suite"); err != nil {
		return nil, err
	}
	r.offline, _ = r.suite.(OfflineSuite)
	if r.offline == nil && (len(cfg.IssuerKeys) > 0 || len(cfg.GroupKeys) > 0) {
		return nil, errInvalidArgument("ReaderConfig.Suite")
	}
	switch {
	case r.past == 0:
		r.past = r.window
	case r.past < 0:
		r.past = 0
	}
	// Beyond ±127 windows the low window byte would alias.
	if r.past > 100*r.window {
		return nil, errInvalidArgument("ReaderConfig.PastSkew")
	}
	if r.future < 0 || r.future > 100*r.window {
		return nil, errInvalidArgument("ReaderConfig.FutureSkew")
	}
	if len(cfg.Purposes) == 0 {
		return nil, errInvalidArgument("ReaderConfig.Purposes")
	}
	if cfg.RequireAgeOver < 0 {
		// A sign slip must not turn an age limit off.
		return nil, errInvalidArgument("ReaderConfig.RequireAgeOver")
	}
	for _, p := range cfg.Purposes {
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if r.purposes[p.ID] != nil {
			return nil, errInvalidArgument("ReaderConfig.Purposes")
		}
		if cfg.RequireAgeOver > 0 && !slices.Contains(p.AgeOver, cfg.RequireAgeOver) {
			return nil, errInvalidArgument("ReaderConfig.RequireAgeOver")
		}
		p = p.clone()
		r.purposes[p.ID] = &readerPurpose{p: p, binding: p.binding(), bindKey: p.bindingKey()}
	}
	for _, k := range cfg.Keys {
		if len(k.Secret) < minSecretLen {
			return nil, errInvalidArgument("ReaderConfig.Keys")
		}
		if r.keys[k.ID] != nil {
			return nil, errInvalidArgument("ReaderConfig.Keys")
		}
		id, err := replayID(r.suite, k.Secret)
		if err != nil {
			return nil, errInvalidArgument("ReaderConfig.Keys")
		}
		r.keys[k.ID] = &readerSecret{secret: append([]byte(nil), k.Secret...), replayID: id}
	}
	for _, k := range cfg.IssuerKeys {
		pub, err := publicKeyBytes(k.Key)
		if err != nil || r.issuerKeys[k.ID] != nil {
			return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
		}
		id, err := replayID(r.suite, pub)
		if err != nil {
			return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
		}
		r.issuerKeys[k.ID] = &readerIssuerKey{key: k.Key, replayID: id}
	}
	for _, k := range cfg.GroupKeys {
		pub, err := r.offline.GroupPublic(k.Key)
		if err != nil || r.groupKeys[k.ID] != nil {
			return nil, errInvalidArgument("ReaderConfig.GroupKeys")
		}
		b, err := r.offline.GroupPublicBytes(pub)
		if err != nil {
			return nil, errInvalidArgument("ReaderConfig.GroupKeys")
		}
		r.groupKeys[k.ID] = &readerGroupKey{id: k.ID, key: k.Key, publicBytes: b}
	}
	if len(cfg.VenueKeys) > 0 && r.suite.ID() != defaultSuiteID {
		// Venue challenges are Ed25519 and SHA-256: check-ins exist under the default
		// suite only.
		return nil, errInvalidArgument("ReaderConfig.Suite")
	}
	r.venueKeys = make(map[venueKeyName]readerVenueKey, len(cfg.VenueKeys))
	for _, k := range cfg.VenueKeys {
		if err := k.check(); err != nil {
			return nil, err
		}
		name := venueKeyName{k.VenueID, k.ID}
		if _, dup := r.venueKeys[name]; dup {
			return nil, errInvalidArgument("ReaderConfig.VenueKeys")
		}
		id, err := replayID(r.suite, k.Key)
		if err != nil {
			return nil, errInvalidArgument("ReaderConfig.VenueKeys")
		}
		r.venueKeys[name] = readerVenueKey{key: k.Key, replayID: id}
	}
	if len(cfg.Keys) == 0 && len(cfg.GroupKeys) == 0 {
		return nil, errInvalidArgument("ReaderConfig.Keys")
	}
	if len(cfg.GroupKeys) > 0 && len(cfg.IssuerKeys) == 0 {
		return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
	}
	if r.guard == nil {
		r.guard = sharedGuard
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r, nil
}

// Opened is an accepted code.
type Opened struct {
	Claims Claims
	// Purpose is the reader's definition of the code's purpose, a copy of its own.
	Purpose Purpose
	Mode    Mode
	// KeyID is the online secret key's ID, or for offline codes the issuer signing key's.
	KeyID uint8
	// GroupKeyID is the reader group key an offline code was encrypted to.
	GroupKeyID uint8
	// Window is the window the code was issued in (the matched time step).
	Window Window
	// Venue is the venue challenge a check-in answered (check-ins only).
	Venue *VenueChallenge
}

// String describes the opened code with its claims masked.
func (o Opened) String() string {
	return fmt.Sprintf("qrtoken.Opened{%s %s key:%d window:%d %s}", o.Mode, o.Purpose, o.KeyID, o.Window.Number, o.Claims)
}

// GoString returns the String form, so that %#v shows no personal data.
func (o Opened) GoString() string { return o.String() }

// Format writes the String form for every verb (quoted for %q), so that no verb prints
// claims unmasked.
func (o Opened) Format(f fmt.State, verb rune) { s := o.String(); mask.Format(f, verb, s, s) }

// MarshalJSON implements json.Marshaler with the fields of [Opened.LogValue], claims
// masked ([Claims.MarshalJSON]). Like that of Claims it is lossy and has no inverse.
func (o Opened) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Mode    string `json:"mode"`
		Purpose string `json:"purpose"`
		KeyID   uint8  `json:"key_id"`
		Window  int64  `json:"window"`
		Claims  Claims `json:"claims"`
	}{o.Mode.String(), o.Purpose.Name, o.KeyID, o.Window.Number, o.Claims})
}

// MarshalText implements encoding.TextMarshaler with the masked String form.
func (o Opened) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// LogValue returns the opened code as a log group, claims masked.
func (o Opened) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("mode", o.Mode.String()),
		slog.String("purpose", o.Purpose.Name),
		slog.Int("key_id", int(o.KeyID)),
		slog.Int64("window", o.Window.Number),
		slog.Any("claims", o.Claims),
	)
}

// Open authenticates and decrypts a code's text, checks its window against the reader's
// clock and skew and the holder's age against RequireAgeOver, claims it in the replay
// guard and asks the StatusChecker, in that order. It accepts online and offline codes;
// check-ins go to [Reader.OpenCheckIn].
//
// Errors: [ErrNotAuthentic] for every authentication failure (opaque), [ErrMalformed],
// [ErrUnsupportedVersion], [ErrWrongSuite], [ErrUnknownKey], [ErrWrongPurpose], [ErrExpired],
// [ErrNotYetValid], [store.ErrReplayed], [ErrWrongMode], [ErrUnavailable], [ErrUnderAge],
// [ErrStatusRefused].
func (r *Reader) Open(ctx context.Context, text string) (Opened, error) {
	if r == nil {
		return Opened{}, errInvalidArgument("Reader")
	}
	if len(text) > MaxCodeText {
		return Opened{}, errMalformed("length")
	}
	// One allocation for the decoded code and, after it, the AEAD nonce and additional
	// data of openOnline.
	b, err := appendDecodeBase45(make([]byte, 0, len(text)/3*2+2+aeadScratchLen), text)
	if err != nil {
		return Opened{}, err
	}
	kind, err := r.parseKind(b)
	if err != nil {
		return Opened{}, err
	}
	var o Opened
	switch kind {
	case kindOnline:
		err = r.openOnline(ctx, b, kindOnline, nil, nil, &o)
	case kindOffline:
		err = r.openOffline(ctx, b, &o)
	default:
		err = errorf(ReasonWrongMode, "")
	}
	if err == nil {
		err = r.checkStatus(ctx, text, &o)
	}
	if err != nil {
		return Opened{}, err
	}
	return o, nil
}

// MaxCodeText is the longest text Open and OpenCheckIn look at: the alphanumeric capacity
// of the largest QR symbol (version 40, ECC level L). Longer input cannot have come from a
// scan and is refused before it is decoded, so that no input makes a reader allocate more.
const MaxCodeText = 4296

// parseKind checks the suite nibble and returns the kind. A code of another suite (any
// other high nibble) is refused before anything else is read: its bytes mean something
// else.
func (r *Reader) parseKind(b []byte) (byte, error) { return parseKindOf(b, r.suite.ID()) }

func parseKindOf(b []byte, suite uint8) (byte, error) {
	if len(b) == 0 {
		return 0, errMalformed("length")
	}
	switch b[0] >> 4 {
	case suite:
	case 0:
		return 0, errorf(ReasonUnsupportedVersion, "")
	default:
		return 0, errorf(ReasonWrongSuite, "")
	}
	k := b[0] & 0xF
	if k < kindOnline || k > kindCheckIn {
		return 0, errMalformed("kind")
	}
	return k, nil
}

// acceptWindow finds the window a code names by its low byte and checks it against the
// reader's clock t. It works in Unix nanoseconds, which hold until the year 2262, and
// returns the window's number and start.
func (r *Reader) acceptWindow(t int64, low byte) (n, start int64, err error) {
	l := int64(r.window)
	n = nearestWindow(floorDiv(t, l), low)
	start = n * l
	if start > t+int64(r.future) {
		return n, start, errorf(ReasonNotYetValid, "")
	}
	if start+l+int64(r.past) <= t {
		return n, start, errorf(ReasonExpired, "")
	}
	return n, start, nil
}

// oldestWindow is the number of the oldest window the reader could still accept at t (and
// one before it, for a clock that is not monotonic across calls).
func (r *Reader) oldestWindow(t int64) int64 {
	return floorDiv(t-int64(r.past), int64(r.window)) - 1
}

// replayExpiry is when a code of the window starting at start can no longer be accepted.
func (r *Reader) replayExpiry(start int64) time.Time {
	// start and the window are whole seconds and the skew is not negative: no nanoseconds
	// to normalise beyond the skew's own.
	sec := (start + int64(r.window) + int64(r.past/time.Second*time.Second)) / int64(time.Second)
	return time.Unix(sec, int64(r.past%time.Second)).UTC()
}

func (r *Reader) purpose(id byte) (*readerPurpose, error) {
	p := r.purposes[id]
	if p == nil {
		return nil, errorf(ReasonWrongPurpose, "")
	}
	return p, nil
}

// aeadScratchLen is room for the AEAD nonce and additional data of an online code: header
// and purpose binding (at most 4+8 bytes). A check-in's venue digest does not fit: its
// scratch space is allocated.
const aeadScratchLen = aeadNonceLen + onlineHeaderLen + 4 + maxAgePredicates

// openOnline opens an online code or the identity part of a check-in into o. It decrypts
// in place: b must be the reader's own copy. The nonce and additional data go into b's
// spare capacity when it has room (Open leaves it), so that they need no allocation.
func (r *Reader) openOnline(ctx context.Context, b []byte, kind byte, extraAAD []byte, venue *VenueChallenge, o *Opened) error {
	if len(b) < onlineHeaderLen+onlineNonceLen+onlineTagLen {
		return errMalformed("length")
	}
	rp, err := r.purpose(b[1])
	if err != nil {
		return err
	}
	keyID := b[2]
	rk := r.keys[keyID]
	if rk == nil {
		return errorf(ReasonUnknownKey, "")
	}
	now := r.now()
	t := now.UnixNano()
	wn, start, err := r.acceptWindow(t, b[3])
	if err != nil {
		return err
	}
	ck := aeadCacheKey{kind: kind, keyID: keyID, window: wn, purpose: rp.bindKey}
	e := r.cache.lookup(&ck)
	if e == nil {
		a, err := deriveOnlineKey(r.suite, rk.secret, kind, keyID, &rp.p, r.window, wn)
		if err != nil {
			return err
		}
		e = r.cache.add(aeadCacheEntry{key: ck, aead: a, window: windowAt(wn, r.window), expires: r.replayExpiry(start)}, r.oldestWindow(t))
	}
	scratch := b[len(b):len(b):cap(b)]
	if need := aeadNonceLen + onlineHeaderLen + len(rp.binding) + len(extraAAD); cap(scratch) < need {
		scratch = make([]byte, 0, need)
	}
	nonce := append(scratch, b[onlineHeaderLen:onlineHeaderLen+onlineNonceLen]...)
	nonce = append(nonce, 0, 0)
	aad := append(nonce[len(nonce):], b[:onlineHeaderLen]...)
	aad = append(aad, rp.binding...)
	aad = append(aad, extraAAD...)
	ct := b[onlineHeaderLen+onlineNonceLen:]
	// The tag identifies the code: no other text authenticates with it under this
	// (key, purpose, window), and it is a pseudo-random value, not personal data. The
	// key's replay ID keeps it apart from the codes of readers with other keys.
	// The window's low 32 bits suffice: codes 2^32 windows apart are never both held.
	key := make([]byte, 0, replayIDLen+3+4+onlineTagLen)
	key = append(key, rk.replayID[:]...)
	key = append(key, b[0], keyID, rp.p.ID)
	key = binary.BigEndian.AppendUint32(key, uint32(wn))
	key = append(key, ct[len(ct)-onlineTagLen:]...)
	pt, err := e.aead.Open(ct[:0], nonce, ct, aad)
	if err != nil {
		return errNotAuthentic()
	}
	if err := parseClaims(pt, &rp.p, &o.Claims); err != nil {
		return err
	}
	if err := r.checkAge(&o.Claims); err != nil {
		return err
	}
	if err := r.claim(ctx, string(key), now, e.expires); err != nil {
		return err
	}
	o.Purpose, o.Mode, o.KeyID, o.Window, o.Venue = rp.p.clone(), Mode(kind), keyID, e.window, venue
	return nil
}

// checkAge refuses an authentic code whose holder is younger than the reader requires
// (ReaderConfig.RequireAgeOver). It runs before the replay guard: a refused code is not
// used up.
func (r *Reader) checkAge(c *Claims) error {
	if r.minAge > 0 {
		if over, present := c.IsOver(r.minAge); !over || !present {
			return errorf(ReasonUnderAge, "")
		}
	}
	return nil
}

func (r *Reader) claim(ctx context.Context, key string, now, expires time.Time) error {
	first, err := r.guard.Claim(ctx, key, now, expires)
	if err != nil {
		return &Error{Reason: ReasonUnavailable, Field: "ReplayGuard", Err: err}
	}
	if !first {
		return errReplayed()
	}
	return nil
}

// publicKeyBytes returns the encoding of an issuer public key from which its replay ID is
// derived: the key itself for Ed25519, the uncompressed point for ECDSA-shaped keys (SM2),
// the Bytes method's result otherwise.
func publicKeyBytes(k crypto.PublicKey) ([]byte, error) {
	switch k := k.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
		}
		return k, nil
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil || k.X == nil || k.Y == nil {
			return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
		}
		n := (k.Curve.Params().BitSize + 7) / 8
		b := make([]byte, 1+2*n)
		b[0] = 4
		k.X.FillBytes(b[1 : 1+n])
		k.Y.FillBytes(b[1+n:])
		return b, nil
	case interface{ Bytes() []byte }:
		return k.Bytes(), nil
	}
	return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
}
