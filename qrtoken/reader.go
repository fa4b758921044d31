package qrtoken

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

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
	// store.ReplayGuard remembers accepted codes (default: a new in-memory guard per reader).
	store.ReplayGuard
	Now func() time.Time // default time.Now
	// RequireAgeOver, when positive, makes Open and OpenCheckIn refuse with [ErrUnderAge]
	// every code whose holder was not at least this old on its day of issue, so that a
	// venue with an age limit (an internet cafe: 18) cannot forget to check it. Every
	// purpose in Purposes must carry this predicate in its AgeOver; NewReader refuses the
	// configuration otherwise. The check runs after authentication and before the replay
	// guard, so a refused code is not used up. Default 0: no requirement; negative values
	// are refused.
	RequireAgeOver int
}

type readerPurpose struct {
	p       Purpose // the reader's own copy, used for parsing; results get copies of it
	binding []byte
	bindKey bindingKey
}

// Reader opens codes: online codes, offline codes and check-ins. It is safe for
// concurrent use.
type Reader struct {
	purposes   [256]*readerPurpose
	keys       [256][]byte
	issuerKeys [256]*IssuerPublicKey
	groupKeys  [256]*GroupPrivateKey
	venueKeys  map[venueKeyName]VenuePublicKey
	window     time.Duration
	past       time.Duration
	future     time.Duration
	guard      store.ReplayGuard
	now        func() time.Time
	cache      aeadCache
	minAge     int
}

// NewReader validates cfg and fills defaults.
func NewReader(cfg ReaderConfig) (*Reader, error) {
	r := &Reader{window: cfg.Window, past: cfg.PastSkew, future: cfg.FutureSkew, guard: cfg.ReplayGuard, now: cfg.Now, minAge: cfg.RequireAgeOver}
	if r.window == 0 {
		r.window = DefaultWindow
	}
	if err := checkWindowLength(r.window); err != nil {
		return nil, err
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
		r.keys[k.ID] = append([]byte(nil), k.Secret...)
	}
	for _, k := range cfg.IssuerKeys {
		if err := k.check(); err != nil {
			return nil, err
		}
		if r.issuerKeys[k.ID] != nil {
			return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
		}
		r.issuerKeys[k.ID] = &k
	}
	for _, k := range cfg.GroupKeys {
		if err := k.check(); err != nil {
			return nil, err
		}
		if r.groupKeys[k.ID] != nil {
			return nil, errInvalidArgument("ReaderConfig.GroupKeys")
		}
		r.groupKeys[k.ID] = &k
	}
	r.venueKeys = make(map[venueKeyName]VenuePublicKey, len(cfg.VenueKeys))
	for _, k := range cfg.VenueKeys {
		if err := k.check(); err != nil {
			return nil, err
		}
		name := venueKeyName{k.VenueID, k.ID}
		if _, dup := r.venueKeys[name]; dup {
			return nil, errInvalidArgument("ReaderConfig.VenueKeys")
		}
		r.venueKeys[name] = k
	}
	if len(cfg.Keys) == 0 && len(cfg.GroupKeys) == 0 {
		return nil, errInvalidArgument("ReaderConfig.Keys")
	}
	if len(cfg.GroupKeys) > 0 && len(cfg.IssuerKeys) == 0 {
		return nil, errInvalidArgument("ReaderConfig.IssuerKeys")
	}
	if r.guard == nil {
		r.guard = store.NewMemoryReplayGuard()
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

// Format writes the String form for every verb, so that no verb prints claims unmasked.
func (o Opened) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(o.String())) }

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
// clock and skew, and claims it in the replay guard, in that order. It accepts online and
// offline codes; check-ins go to [Reader.OpenCheckIn].
//
// Errors: [ErrNotAuthentic] for every authentication failure (opaque), [ErrMalformed],
// [ErrUnsupportedVersion], [ErrUnknownKey], [ErrWrongPurpose], [ErrExpired],
// [ErrNotYetValid], [store.ErrReplayed], [ErrWrongMode], [ErrUnavailable], [ErrUnderAge].
func (r *Reader) Open(ctx context.Context, text string) (o Opened, err error) {
	if len(text) > MaxCodeText {
		return Opened{}, errMalformed("length")
	}
	// Pooled scratch holds the decoded code and, after it, room for the AEAD nonce and
	// additional data (see openOnline); claims are copied out of it. It also holds the
	// chunk that results' age predicates are cut from. It is put back on every path
	// without a defer, which costs more than the two calls.
	need := len(text)/3*2 + 2 + scratchLen
	sc := scratchPool.Get().(*openScratch)
	buf := sc.buf
	if cap(buf) < need {
		buf = make([]byte, 0, need)
		if need <= maxPooledBuf {
			sc.buf = buf
		}
	}
	err = r.open(ctx, buf[:0], text, &o, sc)
	scratchPool.Put(sc)
	if err != nil {
		return Opened{}, err
	}
	return o, nil
}

// open is Open into o with buf as the decode buffer (capacity for the code and scratchLen)
// and sc's chunks for the age predicates and the replay key.
func (r *Reader) open(ctx context.Context, buf []byte, text string, o *Opened, sc *openScratch) error {
	b, err := appendDecodeBase45(buf, text)
	if err != nil {
		return err
	}
	kind, err := parseKind(b)
	if err != nil {
		return err
	}
	switch kind {
	case kindOnline:
		return r.openOnline(ctx, b, kindOnline, nil, nil, o, sc)
	case kindOffline:
		return r.openOffline(ctx, b, o, &sc.ages)
	}
	return errorf(ReasonWrongMode, "")
}

// MaxCodeText is the longest text Open and OpenCheckIn look at: the alphanumeric capacity
// of the largest QR symbol (version 40, ECC level L). Longer input cannot have come from a
// scan and is refused before it is decoded, so that no input makes a reader allocate more.
const MaxCodeText = 4296

// maxPooledBuf is the largest decode buffer kept for reuse: more than any code needs.
const maxPooledBuf = 1024

// openScratch is Open's pooled working memory.
type openScratch struct {
	buf  []byte // the decoded code, then the AEAD nonce and additional data
	ages ageChunk
	keys keyChunk
}

// keyChunk hands out replay keys as substrings of one string that a strings.Builder
// builds. A Builder only ever appends (Reset drops its buffer rather than reusing it), so
// a key handed out never changes, and many keys cost one allocation. Only replay keys go
// into a chunk, which hold no personal data: a guard that keeps a key keeps at most the
// other keys of its chunk alive with it (at most 1 KiB), and they expire close in time.
type keyChunk struct{ sb strings.Builder }

const keyChunkLen = 1024

func (c *keyChunk) key(k []byte) string {
	if c.sb.Cap()-c.sb.Len() < len(k) {
		c.sb.Reset()
		c.sb.Grow(keyChunkLen)
	}
	start := c.sb.Len()
	c.sb.Write(k)
	return c.sb.String()[start:]
}

var scratchPool = sync.Pool{New: func() any { return &openScratch{buf: make([]byte, 0, 256)} }}

func parseKind(b []byte) (byte, error) {
	if len(b) == 0 {
		return 0, errMalformed("length")
	}
	if b[0]>>4 != formatVersion {
		return 0, errorf(ReasonUnsupportedVersion, "")
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

// openOnline opens an online code or the identity part of a check-in into o. b's spare
// capacity, if it has scratchLen bytes, is used for the nonce and additional data. sc
// may be nil.
func (r *Reader) openOnline(ctx context.Context, b []byte, kind byte, extraAAD []byte, venue *VenueChallenge, o *Opened, sc *openScratch) error {
	if len(b) < onlineHeaderLen+onlineNonceLen+onlineTagLen {
		return errMalformed("length")
	}
	rp, err := r.purpose(b[1])
	if err != nil {
		return err
	}
	keyID := b[2]
	secret := r.keys[keyID]
	if secret == nil {
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
		a, err := deriveOnlineKey(secret, kind, keyID, &rp.p, r.window, wn)
		if err != nil {
			return err
		}
		e = r.cache.add(aeadCacheEntry{key: ck, aead: a, window: windowAt(wn, r.window), expires: r.replayExpiry(start)}, r.oldestWindow(t))
	}
	scratch := b[len(b):cap(b)]
	if len(scratch) < scratchLen {
		scratch = make([]byte, scratchLen)
	}
	// Fixed-size copies compile to a few moves, where copy and append call memmove.
	const nonceEnd, aadStart = chacha20poly1305.NonceSize, chacha20poly1305.NonceSize
	nonce := scratch[:nonceEnd]
	*(*[onlineNonceLen]byte)(nonce) = [onlineNonceLen]byte(b[onlineHeaderLen:])
	nonce[onlineNonceLen], nonce[onlineNonceLen+1] = 0, 0
	*(*[onlineHeaderLen]byte)(scratch[aadStart:]) = [onlineHeaderLen]byte(b)
	*(*bindingKey)(scratch[aadStart+onlineHeaderLen:]) = rp.bindKey
	aad := scratch[aadStart : aadStart+onlineHeaderLen+len(rp.binding)]
	if len(extraAAD) > 0 {
		aad = append(aad, extraAAD...)
	}
	ct := b[onlineHeaderLen+onlineNonceLen:]
	// The tag identifies the code: no other text authenticates with it under this
	// (key, purpose, window), and it is a pseudo-random value, not personal data.
	var key [3 + 8 + onlineTagLen]byte
	key[0], key[1], key[2] = b[0], keyID, rp.p.ID
	binary.BigEndian.PutUint64(key[3:], uint64(wn))
	*(*[onlineTagLen]byte)(key[11:]) = [onlineTagLen]byte(ct[len(ct)-onlineTagLen:])
	pt, err := e.aead.Open(ct[:0], nonce, ct, aad)
	if err != nil {
		return errNotAuthentic()
	}
	var ages *ageChunk
	var ks string
	if sc != nil {
		ages, ks = &sc.ages, sc.keys.key(key[:])
	} else {
		ks = string(key[:])
	}
	if err := parseClaims(pt, &rp.p, &o.Claims, ages); err != nil {
		return err
	}
	if err := r.checkAge(&o.Claims); err != nil {
		return err
	}
	if err := r.claim(ctx, ks, now, e.expires); err != nil {
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

// scratchLen is room for the AEAD nonce and the additional data: header, purpose binding
// (at most 4+8 bytes) and a check-in's venue digest.
const scratchLen = 12 + onlineHeaderLen + 12 + 32
