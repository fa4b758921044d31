package qrtoken

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"
)

// Venue challenge layout.
const (
	venueBodyLen = 22 // version|kind, key ID, venue ID (4), terminal ID (4), nonce (8), expiry (4)
	venueLen     = venueBodyLen + ed25519.SignatureSize
	venueTextLen = venueLen / 2 * 3 // base45; venueLen is even

	// DefaultVenueTTL is how long a terminal's challenge is valid by default.
	DefaultVenueTTL = 60 * time.Second

	maxVenueTTL = 24 * time.Hour
)

var venueLabel = []byte("trustid/qrtoken/v1 venue")

// VenueKey is a venue's Ed25519 signing key, held by its terminals.
type VenueKey struct {
	ID  uint8
	Key ed25519.PrivateKey
}

// Public returns the public half for the venue venueID, for the verification service.
func (k VenueKey) Public(venueID uint32) VenuePublicKey {
	return VenuePublicKey{VenueID: venueID, ID: k.ID, Key: k.Key.Public().(ed25519.PublicKey)}
}

// VenuePublicKey is a venue's public key held by the verification service, named by the
// venue's ID and the key's ID within that venue (so a venue can rotate its key).
type VenuePublicKey struct {
	VenueID uint32
	ID      uint8
	Key     ed25519.PublicKey
}

type venueKeyName struct {
	venue uint32
	id    uint8
}

func (k *VenuePublicKey) check() error {
	if len(k.Key) != ed25519.PublicKeySize {
		return errInvalidArgument("ReaderConfig.VenueKeys")
	}
	return nil
}

// VenueConfig configures a venue terminal.
type VenueConfig struct {
	Key        VenueKey
	VenueID    uint32
	TerminalID uint32
	TTL        time.Duration    // default DefaultVenueTTL; at most 24 h
	Now        func() time.Time // default time.Now
}

// Venue is a terminal that shows its own signed QR challenge for the reverse flow: the
// holder scans it with the wallet, the wallet returns a check-in ([Issuer.IssueCheckIn]),
// and the service verifies both ([Reader.OpenCheckIn]). Safe for concurrent use.
// Challenge on a nil *Venue returns an error matching [ErrInvalidArgument].
type Venue struct {
	cfg VenueConfig
}

// NewVenue validates cfg and fills defaults.
func NewVenue(cfg VenueConfig) (*Venue, error) {
	if len(cfg.Key.Key) != ed25519.PrivateKeySize {
		return nil, errInvalidArgument("VenueConfig.Key")
	}
	if cfg.TTL == 0 {
		cfg.TTL = DefaultVenueTTL
	}
	if cfg.TTL < time.Second || cfg.TTL > maxVenueTTL {
		return nil, errInvalidArgument("VenueConfig.TTL")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Venue{cfg: cfg}, nil
}

// VenueChallenge is a terminal's signed challenge.
type VenueChallenge struct {
	raw        []byte
	KeyID      uint8
	VenueID    uint32
	TerminalID uint32
	Nonce      [8]byte
	Expires    time.Time
}

// Text returns the challenge's text form (base45), for the terminal's QR symbol; "" for
// a nil challenge.
func (c *VenueChallenge) Text() string {
	if c == nil {
		return ""
	}
	return encodeBase45(c.raw)
}

// String describes the challenge without its nonce or signature. It holds no personal
// data. It is safe to call on a nil *VenueChallenge.
func (c *VenueChallenge) String() string {
	if c == nil {
		return "qrtoken.VenueChallenge(nil)"
	}
	return fmt.Sprintf("qrtoken.VenueChallenge{venue:%d terminal:%d expires:%s}", c.VenueID, c.TerminalID, c.Expires.UTC().Format(time.RFC3339))
}

// Challenge returns a fresh challenge: a random nonce, the venue and terminal IDs and an
// expiry, signed with the venue key.
func (v *Venue) Challenge(_ context.Context) (*VenueChallenge, error) {
	if v == nil {
		return nil, errInvalidArgument("Venue")
	}
	c := &VenueChallenge{
		KeyID:      v.cfg.Key.ID,
		VenueID:    v.cfg.VenueID,
		TerminalID: v.cfg.TerminalID,
		Expires:    time.Unix(v.cfg.Now().Add(v.cfg.TTL).Unix(), 0).UTC(),
	}
	rand.Read(c.Nonce[:])
	b := make([]byte, 0, venueLen)
	b = append(b, defaultSuiteID<<4|kindVenue, c.KeyID)
	b = binary.BigEndian.AppendUint32(b, c.VenueID)
	b = binary.BigEndian.AppendUint32(b, c.TerminalID)
	b = append(b, c.Nonce[:]...)
	b = binary.BigEndian.AppendUint32(b, uint32(c.Expires.Unix()))
	c.raw = append(b, ed25519.Sign(v.cfg.Key.Key, append(venueLabel[:len(venueLabel):len(venueLabel)], b...))...)
	return c, nil
}

// ParseVenueChallenge decodes a terminal's challenge without verifying its signature, so
// that a wallet can show the holder where it is checking in. Only the service, holding the
// venue keys, verifies it ([Reader.OpenCheckIn]). A text of any other length than a
// challenge's is refused before it is decoded ([ErrMalformed]).
func ParseVenueChallenge(text string) (*VenueChallenge, error) {
	if len(text) != venueTextLen {
		return nil, errMalformed("venue_challenge")
	}
	b, err := DecodeBase45(text)
	if err != nil {
		return nil, err
	}
	return parseVenue(b)
}

func parseVenue(b []byte) (*VenueChallenge, error) {
	if len(b) != venueLen {
		return nil, errMalformed("venue_challenge")
	}
	k, err := parseKindOf(b, defaultSuiteID)
	if err != nil {
		return nil, err
	}
	if k != kindVenue {
		return nil, errorf(ReasonWrongMode, "")
	}
	c := &VenueChallenge{
		raw:        b[:venueLen:venueLen],
		KeyID:      b[1],
		VenueID:    binary.BigEndian.Uint32(b[2:]),
		TerminalID: binary.BigEndian.Uint32(b[6:]),
		Expires:    time.Unix(int64(binary.BigEndian.Uint32(b[18:])), 0).UTC(),
	}
	copy(c.Nonce[:], b[10:18])
	return c, nil
}

// IssueCheckIn answers a venue terminal's challenge: an online code for purpose whose
// authentication covers the challenge, followed by the challenge itself. It checks the
// challenge's form and expiry (by the issuer's clock), not its signature. The challenge
// text is parsed as by [ParseVenueChallenge], which refuses any other length first.
func (is *Issuer) IssueCheckIn(ctx context.Context, challenge string, claims Claims, purpose Purpose) (Code, error) {
	if is == nil {
		return Code{}, errInvalidArgument("Issuer")
	}
	if is.suite.ID() != defaultSuiteID {
		// Venue challenges are Ed25519 and SHA-256: check-ins exist under the default
		// suite only.
		return Code{}, errInvalidArgument("IssuerConfig.Suite")
	}
	vc, err := ParseVenueChallenge(challenge)
	if err != nil {
		return Code{}, err
	}
	if !is.now().Before(vc.Expires) {
		return Code{}, errorf(ReasonExpired, "venue_challenge")
	}
	digest := sha256.Sum256(vc.raw)
	c, err := is.issueOnline(ctx, kindCheckIn, digest[:], &claims, &purpose)
	if err != nil {
		return Code{}, err
	}
	b, err := DecodeBase45(c.text)
	if err != nil {
		return Code{}, err
	}
	c.text = encodeBase45(append(b, vc.raw...))
	return c, nil
}

// OpenCheckIn verifies a check-in: the venue challenge's signature (under VenueKeys) and
// expiry, then the identity code bound to it, like [Reader.Open]; finally it claims the
// challenge's nonce in the replay guard, so a terminal's challenge checks in one person
// once, and last asks the StatusChecker, if any, about the identity code's credential.
// Errors are those of Open; a forged challenge is [ErrNotAuthentic], an expired one
// [ErrExpired], a reused one [store.ErrReplayed].
func (r *Reader) OpenCheckIn(ctx context.Context, text string) (Opened, error) {
	if r == nil {
		return Opened{}, errInvalidArgument("Reader")
	}
	if len(text) > MaxCodeText {
		return Opened{}, errMalformed("length")
	}
	b, err := DecodeBase45(text)
	if err != nil {
		return Opened{}, err
	}
	k, err := r.parseKind(b)
	if err != nil {
		return Opened{}, err
	}
	if k != kindCheckIn {
		return Opened{}, errorf(ReasonWrongMode, "")
	}
	if len(b) < venueLen+onlineHeaderLen+onlineNonceLen+onlineTagLen {
		return Opened{}, errMalformed("length")
	}
	n := len(b) - venueLen
	id, raw := b[:n:n], b[n:] // id's capacity stops at raw: openOnline writes past len(id)
	vc, err := parseVenue(raw)
	if err != nil {
		return Opened{}, err
	}
	vk, ok := r.venueKeys[venueKeyName{vc.VenueID, vc.KeyID}]
	if !ok {
		return Opened{}, errorf(ReasonUnknownKey, "")
	}
	if !ed25519.Verify(vk.key, append(venueLabel[:len(venueLabel):len(venueLabel)], raw[:venueBodyLen]...), raw[venueBodyLen:]) {
		return Opened{}, errNotAuthentic()
	}
	now := r.now()
	if !now.Before(vc.Expires) {
		return Opened{}, errorf(ReasonExpired, "venue_challenge")
	}
	if vc.Expires.After(now.Add(maxVenueTTL + r.future)) {
		// Longer than any Venue issues; refusing it bounds the replay guard's memory.
		return Opened{}, errMalformed("venue_challenge")
	}
	digest := sha256.Sum256(raw)
	// openOnline claims the identity code itself; the challenge nonce is claimed after,
	// so a challenge answered twice (by two people, or the same person twice) checks in
	// once.
	var o Opened
	if err := r.openOnline(ctx, id, kindCheckIn, digest[:], vc, &o); err != nil {
		return Opened{}, err
	}
	key := make([]byte, 0, replayIDLen+18)
	key = append(key, vk.replayID[:]...)
	key = append(key, raw[0], vc.KeyID)
	key = binary.BigEndian.AppendUint32(key, vc.VenueID)
	key = binary.BigEndian.AppendUint32(key, vc.TerminalID)
	key = append(key, vc.Nonce[:]...)
	if err := r.claim(ctx, string(key), now, vc.Expires); err != nil {
		return Opened{}, err
	}
	if err := r.checkStatus(ctx, text, &o); err != nil {
		return Opened{}, err
	}
	return o, nil
}
