package qrtoken

import (
	"context"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trustid/trustid/internal/mask"
)

// Format constants (see the package documentation, "Wire format").
const (
	kindOnline  = 1
	kindOffline = 2
	kindVenue   = 3
	kindCheckIn = 4

	onlineHeaderLen = 4  // version|kind, purpose, key ID, window mod 256
	onlineNonceLen  = 10 // random; the AEAD nonce is these 10 bytes followed by two zero bytes
	onlineTagLen    = 16 // every suite's AEAD tag
	aeadNonceLen    = 12 // every suite's AEAD nonce

	minSecretLen = 32
)

var hkdfSalt = []byte("trustid/qrtoken/v1")

// SecretKey is a symmetric master key shared by the issuer and the verification service
// (online mode). The ID travels in clear in every code so that several keys can be active
// at once: issue with the new key while readers still accept the old one, then retire it.
// IDs may be reused cyclically, but never by two keys that are active at the same time.
type SecretKey struct {
	ID     uint8
	Secret []byte // at least 32 bytes from crypto/rand
}

// Mode says how a code is protected.
type Mode uint8

// Modes.
const (
	ModeOnline  Mode = kindOnline  // AEAD under a shared secret key
	ModeOffline Mode = kindOffline // signed by the issuer, encrypted to a reader group (HPKE)
	ModeCheckIn Mode = kindCheckIn // online code bound to a venue terminal's challenge
)

// String returns "online", "offline" or "check-in".
func (m Mode) String() string {
	switch m {
	case ModeOnline:
		return "online"
	case ModeOffline:
		return "offline"
	case ModeCheckIn:
		return "check-in"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// Code is an issued identity code. Its text is a bearer credential until it expires: show
// it in a QR symbol, do not log it.
type Code struct {
	text    string
	Mode    Mode
	Purpose Purpose
	KeyID   uint8 // online: the secret key's ID; offline: the issuer signing key's ID
	Window  Window
	// Expires is the end of the code's window. Readers accept it for their configured skew
	// beyond (by default one more window).
	Expires time.Time
}

// Text returns the code's text form (base45), to put in a QR symbol.
func (c Code) Text() string { return c.text }

// String describes the code without its text.
func (c Code) String() string {
	return fmt.Sprintf("qrtoken.Code{%s %s key:%d window:%d chars:%d}", c.Mode, c.Purpose, c.KeyID, c.Window.Number, len(c.text))
}

// GoString returns the String form, so that %#v does not print the code's text.
func (c Code) GoString() string { return c.String() }

// Format writes the String form for every verb (quoted for %q), so that no verb, %#v
// included, prints the code's text.
func (c Code) Format(f fmt.State, verb rune) { s := c.String(); mask.Format(f, verb, s, s) }

// LogValue describes the code as a log group, without its text.
func (c Code) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("mode", c.Mode.String()),
		slog.String("purpose", c.Purpose.Name),
		slog.Int("key_id", int(c.KeyID)),
		slog.Int64("window", c.Window.Number),
		slog.Int("chars", len(c.text)),
	)
}

// MarshalJSON implements json.Marshaler without the code's text: a code is a bearer
// credential and does not belong in logs or stored records. Send [Code.Text] itself.
func (c Code) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Mode    string    `json:"mode"`
		Purpose string    `json:"purpose"`
		KeyID   uint8     `json:"key_id"`
		Window  int64     `json:"window"`
		Expires time.Time `json:"expires"`
	}{c.Mode.String(), c.Purpose.Name, c.KeyID, c.Window.Number, c.Expires})
}

// MarshalText implements encoding.TextMarshaler with the String form, without the text.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// deriveOnlineKey derives the AEAD key of one (key, purpose, window) with HKDF (RFC
// 5869) over the suite's hash (SHA-256 by default): salt "trustid/qrtoken/v1", info =
// kind | key ID | purpose binding | window length (ns, 8 bytes) | window number (8
// bytes). The kind byte is the low nibble only: the suite is not in the info, because
// each suite has its own hash and AEAD.
func deriveOnlineKey(s Suite, secret []byte, kind, keyID byte, p *Purpose, length time.Duration, window int64) (cipher.AEAD, error) {
	info := make([]byte, 0, 32)
	info = append(info, kind, keyID)
	info = append(info, p.binding()...)
	info = binary.BigEndian.AppendUint64(info, uint64(length))
	info = binary.BigEndian.AppendUint64(info, uint64(window))
	k, err := hkdf.Key(s.NewHash, secret, hkdfSalt, string(info), s.AEADKeySize())
	if err != nil {
		return nil, err
	}
	a, err := s.NewAEAD(k)
	if err != nil {
		return nil, err
	}
	if a.NonceSize() != aeadNonceLen || a.Overhead() != onlineTagLen {
		return nil, errInvalidArgument("Suite")
	}
	return a, nil
}

// aeadCache keeps derived per-window AEADs so that neither side runs HKDF per code. The
// entries are a slice, copied on write and read without a lock: entries are added about
// once per window per (key, purpose), while every Open reads, and a linear scan of a few
// entries with fixed-size keys is cheaper than hashing. Windows that can no longer be
// accepted are dropped on each write, and a window is derived only after it passed the
// window check, so the cache holds at most keys × purposes × accepted windows entries.
type aeadCache struct {
	mu sync.Mutex // serialises writers
	p  atomic.Pointer[[]aeadCacheEntry]
}

type aeadCacheKey struct {
	kind, keyID byte
	window      int64
	purpose     bindingKey // a redefined purpose gets its own key
}

type aeadCacheEntry struct {
	key  aeadCacheKey
	aead cipher.AEAD
	// Derived from the window once, not per code: the window, and for readers the time
	// its codes stop being accepted (the replay guard's expiry).
	window  Window
	expires time.Time
}

// lookup returns the cached entry for k, or nil. Entries are never modified once cached.
func (c *aeadCache) lookup(k *aeadCacheKey) *aeadCacheEntry {
	if p := c.p.Load(); p != nil {
		for i := range *p {
			if (*p)[i].key == *k {
				return &(*p)[i]
			}
		}
	}
	return nil
}

// add caches e, drops the entries of windows before oldest and returns the cached e.
func (c *aeadCache) add(e aeadCacheEntry, oldest int64) *aeadCacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := []aeadCacheEntry{e} // newest first: the current window is the one most codes name
	if p := c.p.Load(); p != nil {
		for _, old := range *p {
			if old.key.window >= oldest && old.key != e.key {
				next = append(next, old)
			}
		}
	}
	c.p.Store(&next)
	return &next[0]
}

// IssuerConfig configures an [Issuer]. Key is needed for online codes and check-ins,
// SigningKey for offline codes; at least one must be set.
type IssuerConfig struct {
	Key        *SecretKey  // online mode: the key that issues (readers may hold more)
	SigningKey *SigningKey // offline mode: the issuer's Ed25519 key
	// Window is the window length, whole seconds (default 60 s). Readers must use the same.
	Window time.Duration
	// Location is the time zone of the civil date used for age predicates (default
	// China Standard Time, UTC+8).
	Location *time.Location
	Now      func() time.Time // default time.Now
	// Suite is the deployment's cryptography (default [DefaultSuite]). Readers must use
	// the same: a reader refuses codes of another suite ([ErrWrongSuite]). SigningKey
	// needs an [OfflineSuite].
	Suite Suite
}

// Issuer issues codes. It is safe for concurrent use. Its methods on a nil *Issuer
// return an error matching [ErrInvalidArgument].
type Issuer struct {
	key     *SecretKey
	signing *SigningKey
	window  time.Duration
	loc     *time.Location
	now     func() time.Time
	cache   aeadCache
	suite   Suite
	offline OfflineSuite // nil if the suite has no offline mode
}

var chinaStandardTime = time.FixedZone("CST", 8*3600)

// NewIssuer validates cfg and fills defaults.
func NewIssuer(cfg IssuerConfig) (*Issuer, error) {
	is := &Issuer{window: cfg.Window, loc: cfg.Location, now: cfg.Now}
	if is.window == 0 {
		is.window = DefaultWindow
	}
	if err := checkWindowLength(is.window); err != nil {
		return nil, err
	}
	if cfg.Key == nil && cfg.SigningKey == nil {
		return nil, errInvalidArgument("IssuerConfig.Key")
	}
	var err error
	if is.suite, err = checkSuite(cfg.Suite, "IssuerConfig.Suite"); err != nil {
		return nil, err
	}
	is.offline, _ = is.suite.(OfflineSuite)
	if cfg.Key != nil {
		if len(cfg.Key.Secret) < minSecretLen {
			return nil, errInvalidArgument("IssuerConfig.Key.Secret")
		}
		k := SecretKey{ID: cfg.Key.ID, Secret: append([]byte(nil), cfg.Key.Secret...)}
		is.key = &k
	}
	if cfg.SigningKey != nil {
		if err := cfg.SigningKey.check(); err != nil {
			return nil, err
		}
		if is.offline == nil {
			return nil, errInvalidArgument("IssuerConfig.Suite")
		}
		k := *cfg.SigningKey
		is.signing = &k
	}
	if is.loc == nil {
		is.loc = chinaStandardTime
	}
	if is.now == nil {
		is.now = time.Now
	}
	return is, nil
}

// today returns the issuer's civil date.
func (is *Issuer) today(now time.Time) time.Time { return civilDate(now.In(is.loc)) }

// Issue returns an online code for purpose carrying claims, bound to the current window.
// It refuses (rather than drops) every claim the purpose does not carry, and fails if a
// carried claim is missing; errors match [ErrClaimNotInPurpose], [ErrMissingClaim],
// [ErrInvalidClaim] or [ErrInvalidArgument].
func (is *Issuer) Issue(ctx context.Context, claims Claims, purpose Purpose) (Code, error) {
	if is == nil {
		return Code{}, errInvalidArgument("Issuer")
	}
	return is.issueOnline(ctx, kindOnline, nil, &claims, &purpose)
}

func (is *Issuer) issueOnline(_ context.Context, kind byte, extraAAD []byte, claims *Claims, purpose *Purpose) (Code, error) {
	if is.key == nil {
		return Code{}, errInvalidArgument("IssuerConfig.Key")
	}
	if err := purpose.Validate(); err != nil {
		return Code{}, err
	}
	now := is.now()
	wn := windowNumber(now, is.window)
	buf := make([]byte, onlineHeaderLen+onlineNonceLen, 64)
	buf[0] = is.suite.ID()<<4 | kind
	buf[1] = purpose.ID
	buf[2] = is.key.ID
	buf[3] = byte(wn)
	// crypto/rand, not a configurable reader: a reader shared by concurrent issuers that
	// is not safe for concurrent use repeats nonces, and a repeated nonce under one
	// window's key exposes the XOR of two people's claims.
	rand.Read(buf[onlineHeaderLen:])
	pt := len(buf)
	buf, err := appendClaims(buf, claims, purpose, is.today(now))
	if err != nil {
		return Code{}, err
	}
	ck := aeadCacheKey{kind: kind, keyID: is.key.ID, window: wn, purpose: purpose.bindingKey()}
	e := is.cache.lookup(&ck)
	if e == nil {
		a, err := deriveOnlineKey(is.suite, is.key.Secret, kind, is.key.ID, purpose, is.window, wn)
		if err != nil {
			return Code{}, err
		}
		e = is.cache.add(aeadCacheEntry{key: ck, aead: a, window: windowAt(wn, is.window)}, wn-1)
	}
	var nonce [aeadNonceLen]byte
	copy(nonce[:], buf[onlineHeaderLen:pt])
	aad := onlineAAD(buf[:onlineHeaderLen], purpose.binding(), extraAAD)
	buf = e.aead.Seal(buf[:pt], nonce[:], buf[pt:], aad)
	w := e.window
	return Code{
		text:    encodeBase45(buf),
		Mode:    Mode(kind),
		Purpose: purpose.clone(),
		KeyID:   is.key.ID,
		Window:  w,
		Expires: w.End,
	}, nil
}

// onlineAAD is the header, the purpose binding and, for check-ins, the digest of the
// venue challenge.
func onlineAAD(header, binding, extra []byte) []byte {
	aad := make([]byte, 0, len(header)+len(binding)+len(extra))
	aad = append(aad, header...)
	aad = append(aad, binding...)
	return append(aad, extra...)
}
